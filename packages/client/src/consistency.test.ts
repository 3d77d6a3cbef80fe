import { describe, expect, it } from '@jest/globals';
import { ConsistencyTokens } from './consistency.js';

describe('ConsistencyTokens', () => {
  it('holds nothing before any write', () => expect(new ConsistencyTokens().current).toBeUndefined());

  it('keeps the newest position, compared as numbers not text', () => {
    const tokens = new ConsistencyTokens();
    tokens.observe('9');
    tokens.observe('10');
    tokens.observe('2');
    expect(tokens.current).toBe('10');
  });

  it('ignores missing and malformed tokens', () => {
    const tokens = new ConsistencyTokens();
    tokens.observe('5');
    for (const bad of [null, undefined, '', 'soon', '-1', '1.5']) tokens.observe(bad);
    expect(tokens.current).toBe('5');
  });

  it('keeps positions beyond 2^53 exactly', () => {
    const tokens = new ConsistencyTokens();
    tokens.observe('9007199254740993');
    tokens.observe('9007199254740992');
    expect(tokens.current).toBe('9007199254740993');
  });
});
