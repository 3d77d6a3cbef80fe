import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { opaqueCursor } from './opaque-cursor.js';
import { ProblemError } from './problem.js';

const cursor = opaqueCursor(z.strictObject({ position: z.string().regex(/^\d+$/), name: z.string() }));

describe('opaque cursors', () => {
  it('read back exactly what they wrote', () => {
    const position = { position: '42', name: 'catalog/1of2' };
    expect(cursor.decode(cursor.encode(position))).toEqual(position);
  });

  it.each([
    ['not base64url JSON', 'not-a-cursor'],
    ['JSON of another shape', Buffer.from(JSON.stringify({ position: 'x', name: 'y' })).toString('base64url')],
    ['an extra field', Buffer.from(JSON.stringify({ position: '1', name: 'y', more: true })).toString('base64url')],
  ])('refuse %s with 400 invalid_cursor', (_what, text) => {
    const refusal = (() => {
      try {
        cursor.decode(text);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ProblemError);
    expect(refusal).toMatchObject({ status: 400, code: 'invalid_cursor' });
  });
});
