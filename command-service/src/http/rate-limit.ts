import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ProblemError } from '@shop/service-kit';

export interface RateLimit {
  /** Requests a client may make at once before waiting (the bucket's size). */
  burst: number;
  /** Sustained requests per second per client (the refill rate). */
  perSecond: number;
}

/**
 * How much a limiter may remember. Keys come from the request (addresses, emails typed by anyone), so both their
 * number and their length are capped: an attacker inventing keys evicts the least recently used, never grows memory.
 */
export interface LimiterMemory {
  maxKeys: number;
  /** Longer keys are replaced by their SHA-256 (distinct keys stay distinct; memory per key stays bounded). */
  maxKeyLength: number;
}

export const DEFAULT_LIMITER_MEMORY: LimiterMemory = { maxKeys: 100_000, maxKeyLength: 256 };

/** A key no longer than `maxLength`: itself, or a digest of it. */
export const boundedKey = (key: string, maxLength: number): string =>
  key.length <= maxLength ? key : `sha256:${createHash('sha256').update(key).digest('base64url')}`;

/**
 * What a limiter remembers per key, within `LimiterMemory`: at most `maxKeys` entries, the least recently used
 * forgotten first (Map keeps insertion order), each under its bounded key.
 */
export class BoundedLru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly memory: LimiterMemory) {}

  get size(): number {
    return this.entries.size;
  }

  get(rawKey: string): V | undefined {
    const key = boundedKey(rawKey, this.memory.maxKeyLength);
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(rawKey: string, value: V): void {
    const key = boundedKey(rawKey, this.memory.maxKeyLength);
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.memory.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(rawKey: string): void {
    this.entries.delete(boundedKey(rawKey, this.memory.maxKeyLength));
  }
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/**
 * Token buckets per key: `burst` at once, then `perSecond`. Pure apart from the clock, which the caller passes.
 * A forgotten (evicted) key starts full again: the LRU only evicts keys unused for longer than the newest
 * `maxKeys` others, and the limits that matter (per address) are not the ones an attacker can flood.
 */
export class TokenBuckets {
  private readonly buckets: BoundedLru<Bucket>;
  constructor(private readonly limit: RateLimit, memory: LimiterMemory = DEFAULT_LIMITER_MEMORY) {
    this.buckets = new BoundedLru(memory);
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, now: number): Admission {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, updatedAt: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * this.limit.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond)) };
    bucket.tokens -= 1;
    return { admitted: true };
  }
}

export const tooManyRequests = (code: string, retryAfterSeconds: number): ProblemError =>
  new ProblemError(429, code, 'Too Many Requests', `Slow down: retry in ${retryAfterSeconds} s`, {}, { 'Retry-After': String(retryAfterSeconds) });

/**
 * Token bucket per client key. In-process: with several instances each enforces its own share, which is the
 * usual trade-off for a limiter that must cost nothing per request; a shared limiter belongs in the gateway.
 */
export function rateLimit(
  limit: RateLimit,
  keyOf: (req: Request, res: Response) => string,
  code = 'rate_limited',
  memory: LimiterMemory = DEFAULT_LIMITER_MEMORY,
): RequestHandler {
  const buckets = new TokenBuckets(limit, memory);
  return (req, res, next) => {
    const admission = buckets.take(keyOf(req, res), Date.now());
    if (!admission.admitted) throw tooManyRequests(code, admission.retryAfterSeconds);
    next();
  };
}

/**
 * The per-account brake on password guessing from many addresses. It only ever delays, never refuses: a refusal
 * keyed by account alone would let anyone lock a user out by failing on purpose, from anywhere.
 */
export interface SlowdownSettings {
  /** Failures an account may collect before sign-ins to it are delayed. */
  freeFailures: number;
  /** The first delay; each further failure doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How fast failures are forgotten (failures per second), so an account not attacked any more recovers by itself. */
  forgetPerSecond: number;
}

interface FailureCount {
  failures: number;
  updatedAt: number;
}

/** Failed sign-ins per account, decaying over time, and the delay they call for. Pure apart from the clock. */
export class FailureSlowdown {
  private readonly counts: BoundedLru<FailureCount>;
  constructor(private readonly settings: SlowdownSettings, memory: LimiterMemory = DEFAULT_LIMITER_MEMORY) {
    this.counts = new BoundedLru(memory);
  }

  private current(key: string, now: number): number {
    const count = this.counts.get(key);
    if (!count) return 0;
    return Math.max(0, count.failures - (Math.max(0, now - count.updatedAt) / 1000) * this.settings.forgetPerSecond);
  }

  /** The delay before the next sign-in to this account is checked: 0, then base · 2^k, capped. */
  delayMs(key: string, now: number): number {
    const excess = this.current(key, now) - this.settings.freeFailures;
    if (excess <= 0) return 0;
    return Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (Math.ceil(excess) - 1));
  }

  recordFailure(key: string, now: number): void {
    this.counts.set(key, { failures: this.current(key, now) + 1, updatedAt: now });
  }

  /** The right password: whoever holds it is not the attacker, so the account starts afresh. */
  recordSuccess(key: string): void {
    this.counts.delete(key);
  }
}

/** The client a write is counted against: the authenticated user when there is one, else the address. */
export const clientKey = (req: Request, res: Response): string => {
  const principal = res.locals.principal as { userId?: string } | undefined;
  return principal?.userId ?? req.ip ?? 'unknown';
};
