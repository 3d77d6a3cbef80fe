import type { z } from 'zod';
import { ProblemError } from './problem.js';

/** A list's keyset position on the wire: `encode` for `nextCursor`, `decode` for the `cursor` a client sends back. */
export interface OpaqueCursor<T> {
  encode(cursor: T): string;
  /** The position, or 400 `invalid_cursor` for anything this API did not answer (the schema is strict). */
  decode(text: string): T;
}

/**
 * Cursors as base64url JSON, parsed back with `schema`: opaque to clients (they pass it back unchanged) yet
 * validated like any other input. One place for what each list used to spell out for itself.
 */
export function opaqueCursor<T>(schema: z.ZodType<T>): OpaqueCursor<T> {
  return {
    encode: (cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url'),
    decode: (text) => {
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      } catch {
        json = undefined;
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new ProblemError(400, 'invalid_cursor', 'Invalid cursor', 'Pass back the nextCursor of a previous page unchanged');
      return parsed.data;
    },
  };
}
