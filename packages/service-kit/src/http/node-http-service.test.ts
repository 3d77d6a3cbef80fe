import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../observability/logger.js';
import { createNodeHttpService, sendJson } from './node-http-service.js';
import { ProblemError } from './problem.js';

/** Raw requests: fetch would normalise the URL it is given. */
const send = (port: number, method: string, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end();
  });

describe('a node:http service (the query service\'s router)', () => {
  let ready: string | undefined;
  const service = createNodeHttpService({ service: 'test', logger: createLogger('test', 'silent'), readiness: () => Promise.resolve(ready) });
  service.get('/api/things/:id', ({ res, params, query }) => sendJson(res, { id: params.id, query: { ...query } }));
  service.get('/api/things/:id/parts', ({ res, params }) => sendJson(res, { parts: params.id }));
  service.get('/api/refused', () => {
    throw new ProblemError(409, 'refused', 'Refused', 'always', {}, { 'Retry-After': '3' });
  });
  service.get('/api/broken', async () => {
    await Promise.resolve();
    throw new Error('a bug');
  });
  service.get('/api/database-gone', async () => {
    await Promise.resolve();
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  });
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer(service.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('matches parameters decoded, case-insensitively and with one trailing slash, as express 5 did', async () => {
    const answer = await send(port, 'GET', '/API/things/caf%C3%A9/?a=1&a=2&b=x');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.body)).toEqual({ id: 'café', query: { a: ['1', '2'], b: 'x' } });
    expect(JSON.parse((await send(port, 'GET', '/api/things/7/parts')).body)).toEqual({ parts: '7' });
  });

  it('answers HEAD from the GET route, without a body', async () => {
    const answer = await send(port, 'HEAD', '/api/things/7');
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: '' });
  });

  it('answers an unknown route, or another method, 404 route_not_found as problem+json', async () => {
    for (const [method, path] of [['GET', '/api/nothing'], ['POST', '/api/things/7'], ['GET', '/api/things/7/parts/8']] as const) {
      const answer = await send(port, method, path);
      expect({ status: answer.status, type: answer.headers['content-type'], code: (JSON.parse(answer.body) as { code: string }).code }).toEqual({
        status: 404,
        type: 'application/problem+json; charset=utf-8',
        code: 'route_not_found',
      });
    }
  });

  it('refuses a malformed percent-encoding with 400 malformed_uri before any route runs', async () => {
    const answer = await send(port, 'GET', '/api/things/%E0%A4%A');
    expect({ status: answer.status, code: (JSON.parse(answer.body) as { code: string }).code }).toEqual({ status: 400, code: 'malformed_uri' });
  });

  it('answers a ProblemError with its status, headers and body', async () => {
    const answer = await send(port, 'GET', '/api/refused');
    expect(answer.status).toBe(409);
    expect(answer.headers['retry-after']).toBe('3');
    expect(JSON.parse(answer.body)).toEqual({ type: 'https://shop.local/problems/refused', title: 'Refused', status: 409, code: 'refused', detail: 'always' });
  });

  it('answers a bug 500 internal_error and the database out of reach 503 unavailable with Retry-After, never their text', async () => {
    const bug = await send(port, 'GET', '/api/broken');
    expect({ status: bug.status, code: (JSON.parse(bug.body) as { code: string }).code }).toEqual({ status: 500, code: 'internal_error' });
    expect(bug.body).not.toContain('a bug');
    const gone = await send(port, 'GET', '/api/database-gone');
    expect({ status: gone.status, code: (JSON.parse(gone.body) as { code: string }).code, retry: gone.headers['retry-after'] }).toEqual({ status: 503, code: 'unavailable', retry: '1' });
    expect(gone.body).not.toContain('5432');
  });

  it('answers the caller\'s well-formed X-Request-Id, and makes one for a malformed one', async () => {
    expect((await send(port, 'GET', '/api/things/1', { 'x-request-id': 'abc-123' })).headers['x-request-id']).toBe('abc-123');
    const made = (await send(port, 'GET', '/api/things/1', { 'x-request-id': 'bad id\twith tab' })).headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves /healthz, /readyz (503 naming the reason while not ready) and /metrics with requests counted by route pattern', async () => {
    expect((await send(port, 'GET', '/healthz')).status).toBe(200);
    ready = 'the database is not migrated';
    const notReady = await send(port, 'GET', '/readyz');
    expect({ status: notReady.status, body: JSON.parse(notReady.body) as unknown }).toEqual({
      status: 503,
      body: { status: 'not_ready', service: 'test', reason: 'the database is not migrated' },
    });
    ready = undefined;
    expect((await send(port, 'GET', '/readyz')).status).toBe(200);
    const metrics = (await send(port, 'GET', '/metrics')).body;
    expect(metrics).toMatch(/http_request_duration_seconds_count\{service="test",method="GET",route="\/api\/things\/:id",status="200"\} \d+/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{service="test",method="GET",route="unmatched",status="404"\} \d+/);
  });

  it('lists its routes OpenAPI-style, without the operational ones', () => {
    expect(service.routes().map((route) => `${route.method} ${route.path}`)).toEqual([
      'GET /api/broken',
      'GET /api/database-gone',
      'GET /api/refused',
      'GET /api/things/{id}',
      'GET /api/things/{id}/parts',
    ]);
  });
});
