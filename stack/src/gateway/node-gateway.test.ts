import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renderTemplate } from './nginx.js';
import { createNodeGateway, routeFor } from './node-gateway.js';
import { climbsOutOfTheWebRoot, rawRequest } from '../testing/raw-request.js';

const listenOnAnyPort = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('built-in gateway (used when nginx is not installed)', () => {
  // Each upstream names itself, and shows what the gateway told it about the client.
  const upstream = (name: string) =>
    createServer((req, res) => {
      res.setHeader('x-seen-forwarded-for', String(req.headers['x-forwarded-for']));
      res.setHeader('x-seen-request-id', String(req.headers['x-request-id']));
      res.end(`${name} ${req.method} ${req.url}`);
    });
  const query = upstream('query');
  const command = upstream('command');
  let gateway: Server;
  let base: string;
  // The web root sits in a folder of its own beside a file that must never be served.
  const outside = mkdtempSync(join(tmpdir(), 'gateway-'));
  const webRoot = join(outside, 'web');
  const SECRET = 'not for the web: outside the web root';

  beforeAll(async () => {
    mkdirSync(join(webRoot, 'assets'), { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    writeFileSync(join(webRoot, 'index.html'), '<h1>shop</h1>');
    writeFileSync(join(webRoot, 'app.js'), 'console.log(1)');
    const [queryPort, commandPort] = [await listenOnAnyPort(query), await listenOnAnyPort(command)];
    gateway = createNodeGateway({ port: 0, queryUpstreams: [`127.0.0.1:${queryPort}`], commandUpstreams: [`127.0.0.1:${commandPort}`], webRoot });
    base = `http://127.0.0.1:${await listenOnAnyPort(gateway)}`;
  });

  afterAll(() => {
    for (const server of [gateway, query, command]) server.close();
    rmSync(outside, { recursive: true, force: true });
  });

  it('sends GET /api/* to the query service', async () => {
    expect(await (await fetch(`${base}/api/products?limit=1`)).text()).toBe('query GET /api/products?limit=1');
  });

  it('sends every other method on /api/* to the command service', async () => {
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      expect(await (await fetch(`${base}/api/products`, { method })).text()).toBe(`command ${method} /api/products`);
    }
  });

  it('serves the web app, and index.html for paths that are not files', async () => {
    const asset = await fetch(`${base}/app.js`);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(await asset.text()).toBe('console.log(1)');
    expect(await (await fetch(`${base}/some/page`)).text()).toBe('<h1>shop</h1>');
  });

  it.each(climbsOutOfTheWebRoot(1, 'secret.txt'))('never serves a file outside the web root: %s (sent raw) gets the app', async (path) => {
    const answer = await rawRequest(base, path);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: '<h1>shop</h1>' });
  });

  const raw = (path: string, options: { headers?: Record<string, string>; localAddress?: string } = {}) => rawRequest(base, path, options);

  it.each(['/%E0%A4%A', '/api/products/%E0%A4%A', '/api/products?search=%E0%A4%A'])(
    'answers %s with 400 problem+json, and keeps serving',
    async (path) => {
      const rejections: unknown[] = [];
      const record = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', record);
      try {
        const answer = await raw(path);
        expect(answer.status).toBe(400);
        expect(answer.headers['content-type']).toBe('application/problem+json');
        expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'malformed_uri' });
        expect(await (await fetch(`${base}/api/products`)).text()).toBe('query GET /api/products');
        // An unhandled rejection is reported on a later turn of the event loop: give it one.
        await new Promise((resolve) => setImmediate(resolve));
        expect(rejections).toEqual([]);
      } finally {
        process.off('unhandledRejection', record);
      }
    },
  );

  it('replaces a forged X-Forwarded-For with the address the connection came from', async () => {
    const answer = await raw('/api/products', { headers: { 'x-forwarded-for': '203.0.113.7, 127.0.0.9' }, localAddress: '127.0.0.2' });
    expect(answer.headers['x-seen-forwarded-for']).toBe('127.0.0.2');
  });

  it('passes a well-formed X-Request-Id on, and makes one otherwise', async () => {
    expect((await raw('/api/products', { headers: { 'x-request-id': 'abc-123' } })).headers['x-seen-request-id']).toBe('abc-123');
    expect((await raw('/api/products', { headers: { 'x-request-id': 'no spaces allowed' } })).headers['x-seen-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 502 problem+json when a service does not answer', async () => {
    const orphan = createNodeGateway({ port: 0, queryUpstreams: ['127.0.0.1:1'], commandUpstreams: ['127.0.0.1:1'], webRoot });
    const response = await fetch(`http://127.0.0.1:${await listenOnAnyPort(orphan)}/api/products`);
    orphan.close();
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'bad_gateway' });
  });
});

describe('nginx template rendering', () => {
  it('fills ${NAME} placeholders and leaves nginx variables alone', () => {
    expect(renderTemplate('listen ${SHOP_PORT}; proxy_pass http://$api_upstream;', { SHOP_PORT: '8080' })).toBe(
      'listen 8080; proxy_pass http://$api_upstream;',
    );
  });

  it('refuses a template with a placeholder it has no value for', () => {
    expect(() => renderTemplate('root ${WEB_ROOT};', {})).toThrow('No value for ${WEB_ROOT}');
  });
});

describe('routeFor', () => {
  const routes = { commandUpstreams: ['c1', 'c2'], queryUpstreams: ['q1', 'q2', 'q3'] };
  it('sends reads to the query instances and writes to the command instances, in turn', () => {
    expect([0, 1, 2, 3].map((turn) => routeFor('GET', routes, turn))).toEqual(['q1', 'q2', 'q3', 'q1']);
    expect([0, 1, 2].map((turn) => routeFor('POST', routes, turn))).toEqual(['c1', 'c2', 'c1']);
    expect(routeFor('HEAD', routes, 4)).toBe('q2');
  });
});
