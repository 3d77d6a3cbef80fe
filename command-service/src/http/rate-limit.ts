import type { Request, RequestHandler, Response } from 'express';
import { ProblemError } from '@shop/service-kit';

export interface RateLimit {
  /** Requests a client may make at once before waiting (the bucket's size). */
  burst: number;
  /** Sustained requests per second per client (the refill rate). */
  perSecond: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token bucket per client key. In-process: with several instances each enforces its own share, which is the
 * usual trade-off for a limiter that must cost nothing per request; a shared limiter belongs in the gateway.
 */
export function rateLimit(limit: RateLimit, keyOf: (req: Request, res: Response) => string, code = 'rate_limited'): RequestHandler {
  const buckets = new Map<string, Bucket>();
  let lastSweep = Date.now();
  return (req, res, next) => {
    const now = Date.now();
    if (now - lastSweep > 60_000) {
      // Forget full buckets so the map does not grow with every client ever seen.
      for (const [key, bucket] of buckets) if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.perSecond >= limit.burst) buckets.delete(key);
      lastSweep = now;
    }
    const key = keyOf(req, res);
    const bucket = buckets.get(key) ?? { tokens: limit.burst, updatedAt: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.perSecond);
    bucket.updatedAt = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
      throw new ProblemError(429, code, 'Too Many Requests', `Slow down: retry in ${retryAfter} s`, {}, { 'Retry-After': String(retryAfter) });
    }
    bucket.tokens -= 1;
    next();
  };
}

/** The client a write is counted against: the authenticated user when there is one, else the address. */
export const clientKey = (req: Request, res: Response): string => {
  const principal = res.locals.principal as { userId?: string } | undefined;
  return principal?.userId ?? req.ip ?? 'unknown';
};
