import express, { type RequestHandler } from 'express';
import { ProblemError } from './problem.js';

/** True when `value` is valid percent-encoding (every `%` starts a complete escape and the bytes are UTF-8). */
export function isWellFormedPercentEncoding(value: string): boolean {
  try {
    decodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

export const malformedUriProblem = (): ProblemError =>
  new ProblemError(400, 'malformed_uri', 'Bad Request', 'The request URI holds a malformed percent-encoding');

/**
 * Refuses a URI whose percent-encoding does not decode (`/%E0%A4%A`) before any route sees it. Without this
 * express's router throws a URIError while matching a `:param` (an unknown error, so a 500) and `req.path` stays
 * undecodable for everything after.
 */
export const rejectMalformedUri: RequestHandler = (req, _res, next) => {
  if (!isWellFormedPercentEncoding(req.url)) throw malformedUriProblem();
  next();
};

/** How deep a request body's arrays and objects may nest: far more than any command needs, far less than V8's stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of arrays and objects in a JSON text, counted over its bytes without parsing it (brackets
 * inside strings do not count). Stops counting once past `limit`, so the cost is one pass at most.
 */
export function jsonDepthExceeds(text: Uint8Array, limit: number): boolean {
  const QUOTE = 0x22;
  const BACKSLASH = 0x5c;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
  return false;
}

export const tooDeepProblem = (limit: number): ProblemError =>
  new ProblemError(400, 'json_too_deep', 'Bad Request', `The request body nests arrays and objects deeper than ${limit} levels`);

/**
 * express.json with a nesting limit checked on the raw bytes before JSON.parse runs: a deeply nested body under the
 * size limit would otherwise parse, then make every recursive walk after it (zod, JSON.stringify for the idempotency
 * fingerprint) throw RangeError, which is a 500.
 */
export function jsonBody(options: { limit: number; maxDepth?: number }): RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  return express.json({
    limit: options.limit,
    strict: true,
    // body-parser answers an error thrown here with that error's own status (http-errors keeps `status`).
    verify: (_req, _res, buffer) => {
      if (jsonDepthExceeds(buffer, maxDepth)) throw tooDeepProblem(maxDepth);
    },
  });
}
