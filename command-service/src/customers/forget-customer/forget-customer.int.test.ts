import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from 'nats';
import { verifyHashChains } from '@shop/kernel';
import { freePort } from '@shop/service-kit';
import { startTestNats, type TestNats } from '@shop/testing';
import { startCommandApp, TEST_DATA_KEY_ENCRYPTION_KEY, type CommandAppHarness } from '../../testing/command-app.js';

/**
 * Erasure end to end on real components: the command service (in process), the built projector (relay to JetStream
 * and the read models, its own process), the built audit CLI, real Postgres and NATS JetStream.
 */
const PROJECTOR = fileURLToPath(new URL('../../../../projector/dist/main.js', import.meta.url));
const AUDIT_CLI = fileURLToPath(new URL('../../../../query-service/dist/audit/audit.cli.js', import.meta.url));
const PG_DUMP = process.env.PG_DUMP ?? '/usr/lib/postgresql/15/bin/pg_dump';
const MASTER_KEY = TEST_DATA_KEY_ENCRYPTION_KEY.toString('base64');
const run = promisify(execFile);

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('erasure by crypto-shredding', () => {
  let app: CommandAppHarness;
  let bus: TestNats;
  let nats: NatsConnection;
  let projector: ChildProcess;
  let adminToken: string;
  const streamName = (): string => `${bus.namespace}_EVENTS`;

  // What the erased customer gave us, each value unique to this run so a match cannot be a coincidence.
  const tag = randomUUID().slice(0, 8);
  const victim = {
    email: `erase-me-${tag}@example.com`,
    name: `Zelda Erasable ${tag}`,
    address: { name: `Zelda Recipient ${tag}`, line1: `${tag} Forget Street`, line2: `Flat ${tag}`, city: `Shredtown ${tag}`, postalCode: `ZX${tag}`, country: 'GB' },
  };
  const plaintexts = (): string[] => [victim.email, victim.name, victim.address.name, victim.address.line1, victim.address.line2, victim.address.city, victim.address.postalCode];
  let victimId: string;
  let victimOrderId: string;
  const other = { email: `keep-me-${tag}@example.com`, name: `Kept Customer ${tag}` };
  let otherId: string;

  const register = async (who: { email: string; name: string }): Promise<string> => {
    const response = await app.request('POST', '/api/auth/register', { body: { email: who.email, password: 'a-long-enough-password', name: who.name } });
    expect(response.status).toBe(201);
    return ((await response.json()) as { customerId: string }).customerId;
  };
  const login = (email: string): Promise<Response> => app.request('POST', '/api/auth/login', { body: { email, password: 'a-long-enough-password' } });
  const erase = (customerId: string, token = adminToken): Promise<Response> => app.request('POST', `/api/admin/customers/${customerId}/erasure`, { token });
  const head = async (): Promise<bigint> => BigInt((await app.pool.query<{ head: string }>('SELECT coalesce(max(global_position), 0)::text AS head FROM events')).rows[0]!.head);
  /** The projector has published (relay) and projected (customers, orders) everything in the store. */
  const settled = async (): Promise<void> => {
    const target = await head();
    await until('relay and projections caught up', async () => {
      const { rows } = await app.pool.query<{ name: string; position: string }>(
        `SELECT relay AS name, position::text FROM relay_checkpoints
         UNION ALL SELECT projection, position::text FROM projection_checkpoints WHERE projection IN ('customers', 'orders')`,
      );
      return rows.length === 3 && rows.every((row) => BigInt(row.position) >= target);
    });
  };
  const pgDump = async (): Promise<string> => (await run(PG_DUMP, ['--dbname', app.pool.options.connectionString!], { maxBuffer: 256 * 1024 * 1024 })).stdout;
  const jetStreamPayloads = async (): Promise<string[]> => {
    const jsm = await nats.jetstreamManager();
    const info = await jsm.streams.info(streamName());
    const payloads: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) payloads.push((await jsm.streams.getMessage(streamName(), { seq })).string());
    return payloads;
  };
  const audit = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    run(process.execPath, [AUDIT_CLI, ...args], { env: { ...process.env, DATABASE_URL: app.pool.options.connectionString!, DATA_KEY_ENCRYPTION_KEY: MASTER_KEY } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout: string; stderr: string }) => ({ code: error.code ?? 1, stdout: error.stdout, stderr: error.stderr }),
    );

  beforeAll(async () => {
    [app, bus] = await Promise.all([startCommandApp(), startTestNats()]);
    nats = await connect({ servers: bus.url });
    projector = spawn(process.execPath, [PROJECTOR], {
      env: {
        ...process.env,
        PORT: String(await freePort()),
        DATABASE_URL: app.pool.options.connectionString,
        NATS_URL: bus.url,
        NATS_STREAM: streamName(),
        NATS_SUBJECT_PREFIX: bus.namespace,
        REDIS_URL: '',
        DATA_KEY_ENCRYPTION_KEY: MASTER_KEY,
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    adminToken = await app.tokenFor('admin@shop.local');

    victimId = await register(victim);
    otherId = await register(other);
    const product = await app.request('POST', '/api/products', {
      token: adminToken,
      body: { sku: `ERASE-${tag}`, name: 'Mug', description: 'Blue', priceCents: 1299, currency: 'EUR', initialStock: 5 },
    });
    expect(product.status).toBe(201);
    const productId = ((await product.json()) as { id: string }).id;
    const victimToken = ((await (await login(victim.email)).json()) as { token: string }).token;
    const order = await app.request('POST', '/api/orders', {
      token: victimToken,
      body: { lines: [{ productId, quantity: 1 }], shippingAddress: victim.address },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(order.status).toBe(201);
    victimOrderId = ((await order.json()) as { orderId: string }).orderId;
    await settled();
  }, 90_000);

  afterAll(async () => {
    if (projector && projector.exitCode === null) {
      const exited = new Promise((resolve) => projector.once('exit', resolve));
      projector.kill('SIGTERM');
      await exited;
    }
    await nats?.close();
    await app?.close();
    await bus?.stop();
  });

  it('stores personal fields only as ciphertext in the events, which the bus carries as stored', async () => {
    const { rows } = await app.pool.query<{ data: string }>("SELECT data::text FROM events WHERE stream_id IN ($1, $2)", [`customer-${victimId}`, `order-${victimOrderId}`]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const { data } of rows) for (const plaintext of plaintexts()) expect(data).not.toContain(plaintext);
    expect(rows.map((row) => row.data).join()).toContain('"enc": "v1"');
    const payloads = await jetStreamPayloads();
    expect(payloads.some((payload) => payload.includes(victimId) && payload.includes('"enc":"v1"'))).toBe(true);
    // Before the erasure the read models and the login do hold them: the checks below can fail.
    const dump = await pgDump();
    for (const plaintext of plaintexts()) expect(dump).toContain(plaintext);
  });

  it('answers 404 problem+json for an unknown customer and 403 for a shopper', async () => {
    const unknown = await erase(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(((await unknown.json()) as { code: string }).code).toBe('customer_not_found');
    const { token } = await app.newShopper();
    expect((await erase(victimId, token)).status).toBe(403);
    expect((await erase('not-a-uuid')).status).toBe(400);
  });

  it('erases: 202 (twice), the login answers 401, read models and audit show [erased], and nothing personal is left in the database or on the bus', async () => {
    const first = await erase(victimId);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ customerId: victimId, status: 'forgotten' });
    expect(Number(first.headers.get('consistency-token'))).toBeGreaterThan(0);
    const again = await erase(victimId);
    expect(again.status).toBe(202);
    expect((await login(victim.email)).status).toBe(401);
    expect((await login(other.email)).status).toBe(200);

    await settled();
    const customer = await app.pool.query<{ email: string | null; name: string | null; forgotten: boolean }>('SELECT email, name, forgotten FROM customers WHERE id = $1', [victimId]);
    expect(customer.rows[0]).toEqual({ email: null, name: null, forgotten: true });
    const order = await app.pool.query<{ shipping_address: unknown }>('SELECT shipping_address FROM orders WHERE id = $1', [victimOrderId]);
    expect(order.rows[0]!.shipping_address).toEqual({ line1: '[erased]', city: '[erased]', postalCode: '[erased]', country: 'GB' });

    const dump = await pgDump();
    for (const plaintext of plaintexts()) expect(dump).not.toContain(plaintext);
    expect(dump).toContain(other.email); // the other customer's login and read model are untouched
    const payloads = (await jetStreamPayloads()).join('\n');
    expect(payloads).toContain('CustomerForgotten');
    for (const plaintext of plaintexts()) expect(payloads).not.toContain(plaintext);

    // The write side reads the erased customer's events as [erased] too, and the other one's in plaintext.
    const [registered] = await app.store.readStream(`customer-${victimId}`);
    expect(registered!.data).toMatchObject({ email: '[erased]', name: '[erased]' });
    expect((await app.store.readStream(`customer-${otherId}`))[0]!.data).toMatchObject({ email: other.email, name: other.name });

    expect((await verifyHashChains(app.pool)).ok).toBe(true);
  });

  it('reads [erased] in the audit CLI, forgets idempotently from a shell, and verify still answers ok', async () => {
    const stream = await audit('stream', `customer-${victimId}`);
    expect(stream.code).toBe(0);
    expect(stream.stdout).toContain('[erased]');
    for (const plaintext of plaintexts()) expect(stream.stdout).not.toContain(plaintext);
    const order = await audit('order', victimOrderId);
    expect((JSON.parse(order.stdout) as { order: { shippingAddress: unknown } }).order.shippingAddress).toEqual({
      name: '[erased]',
      line1: '[erased]',
      line2: '[erased]',
      city: '[erased]',
      postalCode: '[erased]',
      country: 'GB',
    });
    expect((await audit('stream', `customer-${otherId}`)).stdout).toContain(other.email);

    const repeated = await audit('forget', victimId);
    expect(repeated.code).toBe(0);
    expect(repeated.stdout).toContain('already recorded');
    expect((await audit('forget', randomUUID())).code).toBe(1);

    const fromShell = await audit('forget', otherId);
    expect(fromShell.code).toBe(0);
    expect(fromShell.stdout).toContain('CustomerForgotten at position');
    expect((await login(other.email)).status).toBe(401);
    expect((await audit('stream', `customer-${otherId}`)).stdout).not.toContain(other.email);

    const verify = await audit('verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('OK: every hash chain holds');
  });
});
