import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { applySchema, createPool, PostgresDataKeyRing, PostgresEventStore, waitUntilIdle } from '@shop/kernel';
import { accountTokenVersions, createLogger, createTokenService, generateEd25519KeyPair, type TokenService } from '@shop/service-kit';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { buildCommandApp } from '../../app.js';
import { seedDevAccounts } from '../../auth/user-accounts.js';

const PASSWORD = 'integration-password';
const validProduct = { sku: 'MUG-1', name: 'Mug', description: 'A blue mug', priceCents: 1299, currency: 'EUR', initialStock: 5 };

describe('POST /api/products and POST /api/auth/login (real Postgres, over HTTP)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let server: Server;
  let base: string;
  let tokens: TokenService;
  let adminToken: string;

  const eventCount = async (): Promise<number> =>
    Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const login = async (email: string, password = PASSWORD): Promise<Response> => post('/api/auth/login', { email, password });

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url);
    await applySchema(pool);
    const store = new PostgresEventStore(pool);
    await seedDevAccounts(pool, store, PASSWORD);
    tokens = createTokenService({ privateKey: generateEd25519KeyPair().privateKey, issuer: 'shop', audience: 'shop-api', ttlSeconds: 60, versions: accountTokenVersions(pool) });
    const { app } = buildCommandApp({ pool, bookkeeping: pool, store, keys: new PostgresDataKeyRing(pool, Buffer.alloc(32, 1)), tokens, logger: createLogger('test', 'silent'), bodyLimitBytes: 64 * 1024, writeLimit: { burst: 1000, perSecond: 1000 }, loginLimit: { burst: 1000, perSecond: 1000 } });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    adminToken = ((await (await login('admin@shop.local')).json()) as { token: string }).token;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await waitUntilIdle([pool]); // idempotent answers are stored after their responses
    await pool.end();
    await database.stop();
  });

  it('logs a dev account in and answers its token and role', async () => {
    const response = await login('analyst@shop.local');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; role: string };
    expect(body.role).toBe('analyst');
    await expect(tokens.verify(body.token)).resolves.toMatchObject({ role: 'analyst' });
  });

  it('refuses a wrong password with 401 problem+json', async () => {
    const response = await login('admin@shop.local', 'wrong-password');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'invalid_credentials', status: 401 });
  });

  it('creates a product: 201 with id, ETag, Location and a Consistency-Token at the event position', async () => {
    const response = await post('/api/products', validProduct, { authorization: `Bearer ${adminToken}`, 'x-correlation-id': 'corr-1' });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.headers.get('location')).toBe(`/api/products/${id}`);
    const { rows } = await pool.query<{ global_position: string; event_type: string; data: unknown; metadata: { correlationId: string; actor: { role: string } } }>(
      'SELECT global_position, event_type, data, metadata FROM events WHERE stream_id = $1',
      [`product-${id}`],
    );
    expect(rows).toHaveLength(1);
    expect(response.headers.get('consistency-token')).toBe(rows[0]!.global_position);
    expect(rows[0]!.event_type).toBe('ProductCreated');
    expect(rows[0]!.data).toEqual({ productId: id, ...validProduct });
    expect(rows[0]!.metadata.correlationId).toBe('corr-1');
    expect(rows[0]!.metadata.actor.role).toBe('admin');
  });

  it('refuses a second product with the same SKU, whatever its case, with 409 sku_taken and no write', async () => {
    const sku = `DUP-${Date.now()}`;
    const first = await post('/api/products', { ...validProduct, sku }, { authorization: `Bearer ${adminToken}` });
    expect(first.status).toBe(201);
    const before = await eventCount();
    const again = await post('/api/products', { ...validProduct, sku: sku.toLowerCase() }, { authorization: `Bearer ${adminToken}` });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'sku_taken' });
    expect(await eventCount()).toBe(before);
  });

  const badRequests: Array<[string, () => Promise<Response>, number, string]> = [
    ['no token', () => post('/api/products', validProduct), 401, 'unauthenticated'],
    ['a forged token', () => post('/api/products', validProduct, { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' }), 401, 'unauthenticated'],
    ['missing fields', () => post('/api/products', { sku: 'X' }, { authorization: `Bearer ${adminToken}` }), 400, 'validation_failed'],
    ['wrong types', () => post('/api/products', { ...validProduct, priceCents: '12.99' }, { authorization: `Bearer ${adminToken}` }), 400, 'validation_failed'],
    ['fractional cents', () => post('/api/products', { ...validProduct, priceCents: 12.5 }, { authorization: `Bearer ${adminToken}` }), 400, 'validation_failed'],
    ['an unknown currency', () => post('/api/products', { ...validProduct, currency: 'XXX' }, { authorization: `Bearer ${adminToken}` }), 400, 'validation_failed'],
    ['negative stock', () => post('/api/products', { ...validProduct, initialStock: -1 }, { authorization: `Bearer ${adminToken}` }), 400, 'validation_failed'],
    ['unknown fields', () => post('/api/products', { ...validProduct, id: 'forged', status: 'x' }, { authorization: `Bearer ${adminToken}` }), 400, 'validation_failed'],
    ['malformed JSON', () => post('/api/products', '{"sku": ', { authorization: `Bearer ${adminToken}` }), 400, 'malformed_json'],
    ['a non-JSON body', () => post('/api/products', 'sku=x', { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
    ['a 1 MB body', () => post('/api/products', { ...validProduct, description: 'x'.repeat(1024 * 1024) }, { authorization: `Bearer ${adminToken}` }), 413, 'payload_too_large'],
  ];

  it.each(badRequests)('answers %s with a precise problem and writes nothing', async (_what, send, status, code) => {
    const before = await eventCount();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status, code });
    expect(await eventCount()).toBe(before);
  });

  it('forbids a shopper from creating products (403) and writes nothing', async () => {
    const shopper = ((await (await login('shopper@shop.local')).json()) as { token: string }).token;
    const before = await eventCount();
    const response = await post('/api/products', validProduct, { authorization: `Bearer ${shopper}` });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden' });
    expect(await eventCount()).toBe(before);
  });

  it('names every offending field of an invalid body', async () => {
    const response = await post('/api/products', { sku: '', priceCents: -1, extra: true }, { authorization: `Bearer ${adminToken}` });
    const body = (await response.json()) as { errors: Array<{ path: string }> };
    expect([...new Set(body.errors.map((e) => e.path))].sort()).toEqual(['(root)', 'currency', 'description', 'initialStock', 'name', 'priceCents', 'sku']);
  });
});
