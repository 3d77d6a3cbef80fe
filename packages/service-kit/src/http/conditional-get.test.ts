import { describe, expect, it } from '@jest/globals';
import { ifNoneMatchHits } from './conditional-get.js';

describe('If-None-Match against the current ETag "3"', () => {
  it.each([
    ['"3"', true],
    ['W/"3"', true],
    ['"1", "3"', true],
    [' "2" ,W/"3" ', true],
    ['"1", W/"2" ,"3"', true],
    ['*', true],
    [' * ', true],
    ['"2"', false],
    ['"30"', false],
    ['3', false],
    ['"3', false],
    ['W/W/"3"', false],
    ['w/"3"', false],
    ['', false],
  ])('%p matches: %p', (header, matches) => {
    expect(ifNoneMatchHits(header, '3')).toBe(matches);
  });

  it('matches nothing when the header is absent', () => expect(ifNoneMatchHits(undefined, '3')).toBe(false));
  it('misses a prefix of the tag', () => expect(ifNoneMatchHits('"3"', '33')).toBe(false));
  it('hits a weak member in the middle of a list', () => expect(ifNoneMatchHits('"1", W/"2" ,"3"', '2')).toBe(true));
});
