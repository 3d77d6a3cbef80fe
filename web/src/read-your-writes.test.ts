import { describe, expect, it } from '@jest/globals';
import type { UnknownAction } from '@reduxjs/toolkit';
import { consistencyTokenOfWrite, laterToken } from './read-your-writes';

const fulfilledWrite = (token: string | null, type = 'api/executeMutation/fulfilled'): UnknownAction =>
  ({
    type,
    meta: {
      arg: { type: 'mutation' },
      baseQueryMeta: { request: new Request('http://shop/api/orders'), response: new Response(null, { headers: token === null ? {} : { 'Consistency-Token': token } }) },
    },
  });

describe('laterToken', () => {
  it('takes the first token the session sees', () => {
    expect(laterToken(null, '42')).toBe('42');
  });

  it('keeps the higher position when an older write answers last', () => {
    expect(laterToken('42', '41')).toBe('42');
    expect(laterToken('41', '42')).toBe('42');
  });

  it('compares positions as numbers, not as text', () => {
    expect(laterToken('9', '10')).toBe('10');
    expect(laterToken('9223372036854775806', '9223372036854775807')).toBe('9223372036854775807');
  });

  it('ignores the 0 of a write that changed nothing, and anything that is not a position', () => {
    expect(laterToken('42', '0')).toBe('42');
    expect(laterToken('42', 'abc')).toBe('42');
    expect(laterToken('42', null)).toBe('42');
  });
});

describe('consistencyTokenOfWrite', () => {
  it('reads the Consistency-Token header of any fulfilled mutation of the API', () => {
    expect(consistencyTokenOfWrite(fulfilledWrite('1234'), 'api')).toBe('1234');
  });

  it('ignores queries, other reducers and failed writes', () => {
    expect(consistencyTokenOfWrite(fulfilledWrite('1234', 'api/executeQuery/fulfilled'), 'api')).toBeNull();
    expect(consistencyTokenOfWrite(fulfilledWrite('1234', 'other/executeMutation/fulfilled'), 'api')).toBeNull();
    expect(consistencyTokenOfWrite(fulfilledWrite('1234', 'api/executeMutation/rejected'), 'api')).toBeNull();
  });

  it('ignores a write that answered no token (login) or a malformed one', () => {
    expect(consistencyTokenOfWrite(fulfilledWrite(null), 'api')).toBeNull();
    expect(consistencyTokenOfWrite(fulfilledWrite('12a'), 'api')).toBeNull();
  });
});
