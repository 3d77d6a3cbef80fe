import { describe, expect, it } from '@jest/globals';
import { noneMatchHits } from './conditional-get.js';

describe('If-None-Match', () => {
  it('misses when the header is absent', () => expect(noneMatchHits(undefined, '3')).toBe(false));
  it('hits the same strong tag', () => expect(noneMatchHits('"3"', '3')).toBe(true));
  it('hits a weak tag of the same value (weak comparison)', () => expect(noneMatchHits('W/"3"', '3')).toBe(true));
  it('misses another version', () => expect(noneMatchHits('"2"', '3')).toBe(false));
  it('misses a prefix of the tag', () => expect(noneMatchHits('"3"', '33')).toBe(false));
  it('hits any member of a list', () => expect(noneMatchHits('"1", W/"2" ,"3"', '2')).toBe(true));
  it('hits a star', () => expect(noneMatchHits(' * ', '9')).toBe(true));
  it('misses an unquoted tag', () => expect(noneMatchHits('3', '3')).toBe(false));
});
