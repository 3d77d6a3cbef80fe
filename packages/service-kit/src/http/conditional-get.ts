/**
 * `If-None-Match` against a representation's ETag value (unquoted), with the weak comparison RFC 9110 §13.1.2
 * prescribes for it: `W/"3"` matches `"3"`; `*` matches any current representation; a list matches if any
 * member does.
 */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const header = ifNoneMatch.trim();
  if (header === '*') return true;
  for (const member of header.split(',')) {
    let tag = member.trim();
    if (tag.startsWith('W/')) tag = tag.slice(2);
    if (tag.length === etag.length + 2 && tag.startsWith('"') && tag.endsWith('"') && tag.slice(1, -1) === etag) return true;
  }
  return false;
}
