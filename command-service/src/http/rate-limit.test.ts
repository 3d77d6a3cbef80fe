import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { createLogger, problemHandler } from '@shop/service-kit';
import { BoundedLru, boundedKey, FailureSlowdown, rateLimit, TokenBuckets } from './rate-limit.js';

describe('rateLimit (token bucket per client)', () => {
  const app = express();
  app.post('/limited', rateLimit({ burst: 3, perSecond: 0.001 }, (req) => req.get('x-client') ?? 'anonymous'), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(problemHandler(createLogger('test', 'silent')));
  const server = createServer(app);
  let base = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => void server.close());

  const hit = (client: string) => fetch(`${base}/limited`, { method: 'POST', headers: { 'x-client': client } });

  it('lets a client burst, then answers 429 problem+json with Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await hit('alice')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await hit('alice');
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('counts each client separately', async () => {
    for (let i = 0; i < 3; i++) await hit('bob');
    expect((await hit('carol')).status).toBe(200);
  });
});

describe('TokenBuckets (pure: the clock is passed in)', () => {
  it('admits a burst, refuses the next with the seconds until a token is back, and refills over time', () => {
    const buckets = new TokenBuckets({ burst: 2, perSecond: 0.5 });
    expect([buckets.take('a', 0), buckets.take('a', 0)]).toEqual([{ admitted: true }, { admitted: true }]);
    expect(buckets.take('a', 0)).toEqual({ admitted: false, retryAfterSeconds: 2 });
    expect(buckets.take('a', 1_000)).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(buckets.take('a', 2_000)).toEqual({ admitted: true });
  });

  it('keeps each key apart', () => {
    const buckets = new TokenBuckets({ burst: 1, perSecond: 0.001 });
    expect(buckets.take('10.0.0.1', 0).admitted).toBe(true);
    expect(buckets.take('10.0.0.1', 0).admitted).toBe(false);
    expect(buckets.take('10.0.0.2', 0).admitted).toBe(true);
  });

  it('remembers at most maxKeys clients, however many it is shown', () => {
    const buckets = new TokenBuckets({ burst: 1, perSecond: 0.001 }, { maxKeys: 100, maxKeyLength: 64 });
    for (let i = 0; i < 10_000; i++) buckets.take(`client-${i}`, 0);
    expect(buckets.size).toBe(100);
  });

  it('does not let an overlong key grow memory, and keeps two long keys apart', () => {
    const buckets = new TokenBuckets({ burst: 1, perSecond: 0.001 }, { maxKeys: 100, maxKeyLength: 64 });
    const long = 'x'.repeat(60_000);
    expect(buckets.take(`${long}a`, 0).admitted).toBe(true);
    expect(buckets.take(`${long}a`, 0).admitted).toBe(false);
    expect(buckets.take(`${long}b`, 0).admitted).toBe(true);
  });
});

describe('boundedKey and BoundedLru', () => {
  it('keeps short keys and digests long ones to a fixed length', () => {
    expect(boundedKey('1.2.3.4|a@b.co', 64)).toBe('1.2.3.4|a@b.co');
    expect(boundedKey('y'.repeat(1_000), 64)).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
  });

  it('forgets the least recently used entry first', () => {
    const lru = new BoundedLru<number>({ maxKeys: 2, maxKeyLength: 256 });
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  });
});

describe('FailureSlowdown (per account: a delay that grows to a cap, never a refusal)', () => {
  const settings = { freeFailures: 3, baseDelayMs: 100, maxDelayMs: 1_000, forgetPerSecond: 0.1 };
  const failTimes = (slowdown: FailureSlowdown, key: string, n: number, at = 0) => {
    for (let i = 0; i < n; i++) slowdown.recordFailure(key, at);
  };

  it('does not delay until the free failures are used up, then doubles per failure', () => {
    const slowdown = new FailureSlowdown(settings);
    const delays = [];
    for (let i = 0; i < 7; i++) {
      delays.push(slowdown.delayMs('ada@example.com', 0));
      slowdown.recordFailure('ada@example.com', 0);
    }
    expect(delays).toEqual([0, 0, 0, 0, 100, 200, 400]);
  });

  it('never delays beyond the cap, however many failures', () => {
    const slowdown = new FailureSlowdown(settings);
    failTimes(slowdown, 'ada@example.com', 1_000);
    expect(slowdown.delayMs('ada@example.com', 0)).toBe(1_000);
  });

  it('forgets failures over time, so an account recovers once the attack stops', () => {
    const slowdown = new FailureSlowdown(settings);
    failTimes(slowdown, 'ada@example.com', 5);
    expect(slowdown.delayMs('ada@example.com', 0)).toBe(200);
    expect(slowdown.delayMs('ada@example.com', 15_000)).toBe(100);
    expect(slowdown.delayMs('ada@example.com', 20_000)).toBe(0);
  });

  it('starts an account afresh after a correct password, and leaves other accounts alone', () => {
    const slowdown = new FailureSlowdown(settings);
    failTimes(slowdown, 'ada@example.com', 10);
    failTimes(slowdown, 'bob@example.com', 10);
    slowdown.recordSuccess('ada@example.com');
    expect(slowdown.delayMs('ada@example.com', 0)).toBe(0);
    expect(slowdown.delayMs('bob@example.com', 0)).toBe(1_000);
    expect(slowdown.delayMs('carol@example.com', 0)).toBe(0);
  });
});
