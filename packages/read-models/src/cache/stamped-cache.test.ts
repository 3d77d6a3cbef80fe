import { describe, expect, it } from '@jest/globals';
import { cacheEntryValue, cacheMarkerValue, parseCacheEntry } from './stamped-cache.js';

describe('cache values', () => {
  it('round-trip an entry, colons in the body included', () => {
    const entry = { position: 42n, etag: '7', scope: 'c3f1', body: '{"a":"b:c","d":1}' };
    expect(parseCacheEntry(cacheEntryValue(entry))).toEqual(entry);
  });

  it('round-trip an entry without a scope', () => {
    const entry = { position: 1n, etag: '1', scope: '', body: '{}' };
    expect(parseCacheEntry(cacheEntryValue(entry))).toEqual(entry);
  });

  it('read a marker as a miss', () => expect(parseCacheEntry(cacheMarkerValue(9n))).toBeUndefined());

  it.each(['', 'e:', 'e:12', 'e:12:3', 'e:x:3::{}', '{"legacy":"json"}'])('read %j as a miss', (value) => {
    expect(parseCacheEntry(value)).toBeUndefined();
  });
});
