import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium } from 'playwright-core';
import { freePort } from '@shop/service-kit';
import { startTestNats, startTestPostgres, startTestRedis, type TestNats, type TestPostgres, type TestRedis } from '@shop/testing';
import { StackConfig } from './config.js';
import { which } from './infra/which.js';
import { startStack, type RunningStack } from './stack.js';

const PASSWORD = 'e2e-dev-password';


async function eventually<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * End to end, as `npm start` runs it: real Postgres, Redis and NATS (containers when Docker answers), the three
 * services as child processes, the gateway (nginx when installed) and Prometheus when installed.
 */
describe('the whole shop through the gateway', () => {
  let database: TestPostgres;
  let cache: TestRedis;
  let bus: TestNats;
  let stack: RunningStack;
  let dataDir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    [database, cache, bus] = await Promise.all([startTestPostgres(), startTestRedis(), startTestNats()]);
    dataDir = mkdtempSync(join(tmpdir(), 'shop-e2e-'));
    const config = StackConfig.parse({
      SHOP_PORT: await freePort(),
      COMMAND_PORT: await freePort(),
      QUERY_PORT: await freePort(),
      PROJECTOR_PORT: await freePort(),
      PROMETHEUS_PORT: await freePort(),
      DATABASE_URL: database.url,
      REDIS_URL: cache.url,
      NATS_URL: bus.url,
      NATS_STREAM: `${bus.namespace}_EVENTS`,
      NATS_SUBJECT_PREFIX: bus.namespace,
      SHOP_DATA_DIR: dataDir,
      DEV_USERS_PASSWORD: PASSWORD,
    });
    stack = await startStack(config, (line) => lines.push(line));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([database?.stop(), cache?.stop(), bus?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const login = async (email: string): Promise<string> => {
    const response = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  };

  it('uses nginx as the gateway when it is installed', () => {
    expect(stack.gateway).toBe(which('nginx') ? 'nginx' : 'node');
  });

  it('lets an admin create a product and reads it back, fresh, through the gateway', async () => {
    const token = await login('admin@shop.local');
    const created = await fetch(`${stack.url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ sku: 'E2E-MUG', name: 'End-to-end mug', description: 'Made by the e2e test', priceCents: 1450, currency: 'EUR', initialStock: 12 }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const consistencyToken = created.headers.get('consistency-token');
    expect(consistencyToken).toMatch(/^\d+$/);

    const byId = await fetch(`${stack.url}/api/products/${id}`, { headers: { 'consistency-token': consistencyToken! } });
    expect(byId.status).toBe(200);
    expect(BigInt(byId.headers.get('read-model-position')!)).toBeGreaterThanOrEqual(BigInt(consistencyToken!));
    expect(await byId.json()).toEqual({
      id, sku: 'E2E-MUG', name: 'End-to-end mug', description: 'Made by the e2e test',
      priceCents: 1450, currency: 'EUR', stockAvailable: 12, status: 'active', version: 1,
    });

    const list = await fetch(`${stack.url}/api/products`, { headers: { 'consistency-token': consistencyToken! } });
    const { items, nextCursor } = (await list.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(items.map((p) => p.id)).toContain(id);
    expect(nextCursor).toBeNull();
  });

  it('answers bad writes through the gateway with problem+json and no write', async () => {
    const noToken = await fetch(`${stack.url}/api/products`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves /metrics, /healthz and /readyz on every service', async () => {
    const ports = [stack.ports.command, stack.ports.query, stack.ports.projector];
    for (const port of ports) {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(`${port}${path} ${response.status}`).toBe(`${port}${path} 200`);
      }
    }
  });

  it('has Prometheus scraping every service when Prometheus is installed', async () => {
    if (!stack.prometheusUrl) {
      expect(which('prometheus')).toBeUndefined();
      return;
    }
    const jobs = await eventually('every target up', async () => {
      const response = await fetch(`${stack.prometheusUrl}/api/v1/targets`);
      const body = (await response.json()) as { data: { activeTargets: Array<{ labels: { job: string }; health: string }> } };
      const up = body.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.job).sort();
      return up.length === 3 ? up : undefined;
    });
    expect(jobs).toEqual(['command-service', 'projector', 'query-service']);
  }, 30_000);

  it('shows an admin the product they create in the web app, in a real browser', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${stack.url}/#/login`);
      await page.getByTestId('login-email').fill('admin@shop.local');
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('product-sku').fill('WEB-TEAPOT');
      await page.getByTestId('product-name').fill('Browser teapot');
      await page.getByTestId('product-description').fill('Created through the web app');
      await page.getByTestId('product-price').fill('24.90');
      await page.getByTestId('product-currency').selectOption('EUR');
      await page.getByTestId('product-stock').fill('3');
      await page.getByTestId('product-submit').click();
      const row = page.getByTestId('product-row').filter({ hasText: 'Browser teapot' });
      await row.waitFor({ timeout: 10_000 });
      expect(await row.innerText()).toContain('WEB-TEAPOT');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
