import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { createLogger, problemHandler } from '@shop/service-kit';
import { rateLimit } from './rate-limit.js';

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
