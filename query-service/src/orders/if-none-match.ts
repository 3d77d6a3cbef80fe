/**
 * RFC 9110 §13.1.2: whether `If-None-Match` matches the current strong entity tag. `*` matches any current
 * representation; otherwise the header is a list of entity tags compared weakly (`W/"3"` matches `"3"`).
 * Malformed members match nothing, so a garbled header costs a full answer, never a wrong 304.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const trimmed = header.trim();
  if (trimmed === '*') return true;
  const opaque = (tag: string): string | undefined => /^(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/.exec(tag.trim())?.[1];
  return trimmed.split(',').some((member) => opaque(member) === etag);
}
