import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { createLogger } from '../observability/logger.js';
import { problemHandler } from './problem.js';
import { jsonBody, jsonDepthExceeds, isWellFormedPercentEncoding, MAX_JSON_DEPTH } from './hostile-input.js';
import { createServiceApp } from './service-app.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('jsonDepthExceeds', () => {
  it('counts nested arrays and objects', () => {
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[]}]}'), 4)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[[]]}]}'), 4)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(bytes(JSON.stringify({ a: '[[[[[{{{{{', b: 'say \\"[[[[[[' })), 1)).toBe(false);
  });

  it('counts siblings once, not their sum', () => {
    expect(jsonDepthExceeds(bytes(JSON.stringify(Array.from({ length: 100 }, () => [[1]]))), 3)).toBe(false);
  });
});

describe('isWellFormedPercentEncoding', () => {
  it('refuses truncated escapes and bytes that are not UTF-8', () => {
    expect(isWellFormedPercentEncoding('/%E0%A4%A')).toBe(false);
    expect(isWellFormedPercentEncoding('/api/products/%C0')).toBe(false);
    expect(isWellFormedPercentEncoding('/api/products/%E0%A4%A4?search=caf%C3%A9')).toBe(true);
  });
});

/** Raw requests: fetch would normalise the URL it is given. */
const send = (port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });

describe('a service app under hostile input', () => {
  const service = createServiceApp({ service: 'test', logger: createLogger('test', 'silent'), readiness: () => Promise.reject(new Error('password authentication failed for user "shop" at 10.1.2.3')) });
  let work = 0;
  service.app.use(jsonBody({ limit: 64 * 1024 }));
  service.app.get('/api/things/:id', (req, res) => void res.json({ id: req.params.id, ip: req.ip }));
  service.app.post('/api/things', (req, res) => {
    work += 1;
    res.json({ stringified: JSON.stringify(req.body).length });
  });
  service.finish();
  const server: Server = createServer(service.app);
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => void server.close());

  it.each(['/%E0%A4%A', '/api/things/%E0%A4%A', '/api/things/ok?x=%ZZ'])('answers %s with 400 malformed_uri problem+json', async (path) => {
    const answer = await send(port, 'GET', path);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'malformed_uri' });
  });

  it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels with 400 before the handler runs`, async () => {
    const before = work;
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const answer = await send(port, 'POST', '/api/things', { 'content-type': 'application/json' }, deep);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'json_too_deep' });
    expect(work).toBe(before);
  });

  it('accepts a body nested exactly to the limit', async () => {
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect((await send(port, 'POST', '/api/things', { 'content-type': 'application/json' }, atLimit)).status).toBe(200);
  });

  it('shows no error text on /readyz', async () => {
    const answer = await send(port, 'GET', '/readyz');
    expect(answer.status).toBe(503);
    expect(answer.body).not.toMatch(/password|shop|10\.1\.2\.3/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'not_ready', reason: 'a dependency is not answering' });
  });

  it('answers the caller’s X-Request-Id, or one of its own', async () => {
    expect((await send(port, 'GET', '/healthz', { 'x-request-id': 'req-123' })).headers['x-request-id']).toBe('req-123');
    const made = (await send(port, 'GET', '/healthz', { 'x-request-id': 'bad id\twith spaces' })).headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('believes X-Forwarded-For from a loopback gateway hop, and takes the address that hop saw', async () => {
    // The gateway (loopback here) replaced the header with its peer's address: that is the client.
    const answer = await send(port, 'GET', '/api/things/x', { 'x-forwarded-for': '203.0.113.9' });
    expect(JSON.parse(answer.body)).toMatchObject({ ip: '203.0.113.9' });
  });
});

describe('a service app that trusts no proxy', () => {
  it('takes the socket’s peer as the client, whatever X-Forwarded-For says', async () => {
    const service = createServiceApp({ service: 'test', logger: createLogger('test', 'silent'), readiness: async () => undefined, trustedProxies: false });
    service.app.get('/ip', (req, res) => void res.json({ ip: req.ip }));
    const server = createServer(service.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await send((server.address() as AddressInfo).port, 'GET', '/ip', { 'x-forwarded-for': '203.0.113.9' });
      expect(JSON.parse(answer.body)).toEqual({ ip: '127.0.0.1' });
    } finally {
      server.close();
    }
  });
});

describe('the problem handler', () => {
  it('answers the URIError express throws while decoding a :param with 400 malformed_uri, not 500', async () => {
    // A plain app, without rejectMalformedUri in front: what a route mounted outside createServiceApp would meet.
    const app = express();
    app.get('/things/:id', (req, res) => void res.json({ id: req.params.id }));
    app.use(problemHandler(createLogger('test', 'silent')));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await send((server.address() as AddressInfo).port, 'GET', '/things/%E0%A4%A');
      expect({ status: answer.status, code: (JSON.parse(answer.body) as { code: string }).code }).toEqual({ status: 400, code: 'malformed_uri' });
    } finally {
      server.close();
    }
  });
});
