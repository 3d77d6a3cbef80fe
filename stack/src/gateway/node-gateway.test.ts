import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renderTemplate } from './nginx.js';
import { createNodeGateway } from './node-gateway.js';

const listenOnAnyPort = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('built-in gateway (used when nginx is not installed)', () => {
  const upstream = (name: string) => createServer((req, res) => res.end(`${name} ${req.method} ${req.url}`));
  const query = upstream('query');
  const command = upstream('command');
  let gateway: Server;
  let base: string;
  const webRoot = mkdtempSync(join(tmpdir(), 'web-'));

  beforeAll(async () => {
    writeFileSync(join(webRoot, 'index.html'), '<h1>shop</h1>');
    writeFileSync(join(webRoot, 'app.js'), 'console.log(1)');
    const [queryPort, commandPort] = [await listenOnAnyPort(query), await listenOnAnyPort(command)];
    gateway = createNodeGateway({ port: 0, queryUpstream: `127.0.0.1:${queryPort}`, commandUpstream: `127.0.0.1:${commandPort}`, webRoot });
    base = `http://127.0.0.1:${await listenOnAnyPort(gateway)}`;
  });

  afterAll(() => {
    for (const server of [gateway, query, command]) server.close();
    rmSync(webRoot, { recursive: true, force: true });
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
    expect(await (await fetch(`${base}/../../etc/passwd`)).text()).toBe('<h1>shop</h1>');
  });

  it('answers 502 problem+json when a service does not answer', async () => {
    const orphan = createNodeGateway({ port: 0, queryUpstream: '127.0.0.1:1', commandUpstream: '127.0.0.1:1', webRoot });
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
