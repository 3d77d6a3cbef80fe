import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { dueCount, offerLoad } from './open-loop.js';

describe('dueCount', () => {
  it('makes request i due at i / rate seconds, the first at once', () => {
    expect(dueCount(0, 10, 100)).toBe(1);
    expect(dueCount(99, 10, 100)).toBe(1);
    expect(dueCount(100, 10, 100)).toBe(2);
    expect(dueCount(1_000, 10, 100)).toBe(11);
  });

  it('never passes the total, and nothing is due before the start', () => {
    expect(dueCount(60_000, 10, 100)).toBe(100);
    expect(dueCount(-5, 10, 100)).toBe(0);
  });
});

describe('offerLoad', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  /** A server that holds every answer until `stallMs` after the first request arrived, then answers at once. */
  async function stallingServer(stallMs: number): Promise<string> {
    let releaseAt: number | undefined;
    server = createServer((request, response) => {
      releaseAt ??= Date.now() + stallMs;
      request.resume();
      setTimeout(() => response.end('ok'), Math.max(0, releaseAt - Date.now()));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('counts the wait of requests that were due while the only connection was stuck (no coordinated omission)', async () => {
    const base = await stallingServer(300);
    // One connection: while the first answer is held, the next ~30 requests cannot even be sent. A closed loop would
    // record one slow request in 100 (its p99 would stay low); from their due times, ~30 of them waited.
    const step = await offerLoad(base, 100, 1, () => ({ method: 'GET', path: '/' }), 1);
    expect(step.failed).toBe(0);
    expect(step.p99).toBeGreaterThanOrEqual(200);
    expect(step.offered).toBe(100);
  });

  it('sends at the offered rate and counts non-2xx answers as failed', async () => {
    server = createServer((request, response) => {
      request.resume();
      response.statusCode = request.url === '/missing' ? 404 : 200;
      response.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let n = 0;
    const step = await offerLoad(base, 200, 0.5, () => ({ method: 'GET', path: n++ % 4 === 0 ? '/missing' : '/' }));
    expect(step.failed).toBe(25);
    expect(step.sent).toBeGreaterThan(100);
    expect(step.sent).toBeLessThanOrEqual(200);
  });
});
