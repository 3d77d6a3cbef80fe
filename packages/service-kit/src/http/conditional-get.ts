import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The one `If-None-Match` rule of every GET that answers an ETag (RFC 9110 §13.1.2 and §13.2.2): `*` matches any
 * current representation; otherwise the header is a comma-separated list of entity tags, each compared weakly with
 * ours (`W/"3"` matches `"3"`; the `W/` prefix is taken once, so `W/W/"3"` is malformed). A malformed member
 * (unquoted, half-quoted, lower-case `w/`) matches nothing, so a garbled header costs a full answer, never a wrong 304.
 * `opaqueTag` is the tag without its quotes (`3` for the ETag `"3"`); no allocation beyond the split, as the
 * cached product read runs it on every request.
 */
export function ifNoneMatchHits(ifNoneMatch: string | undefined, opaqueTag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const header = ifNoneMatch.trim();
  if (header === '*') return true;
  for (const member of header.split(',')) {
    let tag = member.trim();
    if (tag.startsWith('W/')) tag = tag.slice(2);
    if (tag.length === opaqueTag.length + 2 && tag.startsWith('"') && tag.endsWith('"') && tag.slice(1, -1) === opaqueTag) return true;
  }
  return false;
}

/**
 * Sets `ETag: "<opaqueTag>"` and, when the request's If-None-Match matches it, answers 304 without a body. True when
 * it answered. Set every other header a 304 must carry (Read-Model-Position, Cache-Control) before calling it.
 */
export function answeredNotModified(req: IncomingMessage, res: ServerResponse, opaqueTag: string): boolean {
  res.setHeader('ETag', `"${opaqueTag}"`);
  if (!ifNoneMatchHits(req.headers['if-none-match'], opaqueTag)) return false;
  res.statusCode = 304;
  res.end();
  return true;
}
