import { describe, expect, it } from '@jest/globals';
import { ifNoneMatchMatches } from './if-none-match.js';

describe('If-None-Match against the current ETag', () => {
  it.each([
    ['"3"', true],
    ['W/"3"', true],
    ['"1", "3"', true],
    [' "2" ,W/"3" ', true],
    ['*', true],
    ['"2"', false],
    ['"30"', false],
    ['3', false],
    ['"3', false],
    ['', false],
  ])('%p matches "3": %p', (header, matches) => {
    expect(ifNoneMatchMatches(header, '"3"')).toBe(matches);
  });

  it('matches nothing when the header is absent', () => {
    expect(ifNoneMatchMatches(undefined, '"3"')).toBe(false);
  });
});
