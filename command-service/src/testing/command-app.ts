import { randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { PERSONAL_DATA } from '@shop/domain';
import { applySchema, createPool, PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing, PostgresEventStore, waitUntilIdle, type EventStore } from '@shop/kernel';
import { createLogger, createTokenService, generateEd25519KeyPair, type Role, type TokenService } from '@shop/service-kit';
import { startTcpProxy, startTestPostgres, type TcpProxy, type TestPostgres } from '@shop/testing';
import { BatchedTokenVersions } from '../auth/batched-token-versions.js';
import { buildCommandApp } from '../app.js';
import { hashPassword, seedDevAccounts } from '../auth/user-accounts.js';

export const TEST_PASSWORD = 'integration-password';
/** A fixed master key for tests only (32 bytes). */
export const TEST_DATA_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 0x5a);

/** The command service on a real Postgres, listening on a free port, with helpers to call it as each role. */
export interface CommandAppHarness {
  base: string;
  /** The test database (for processes started beside the app, e.g. the create-admin CLI). */
  databaseUrl: string;
  pool: pg.Pool;
  /** The store as the service uses it: personal data encrypted on append, decrypted on read. */
  store: EventStore;
  /** The raw store underneath (events as stored: envelopes). */
  rawStore: PostgresEventStore;
  keys: PostgresDataKeyRing;
  tokens: TokenService;
  /** The key pair the service signs with (generated per harness), for tests that forge or inspect tokens. */
  signingKeys: { privateKey: KeyObject; publicKey: KeyObject };
  tokenFor(email: string): Promise<string>;
  /** Registers a new shopper and answers its token and customer id. */
  newShopper(): Promise<{ token: string; customerId: string }>;
  /** A new account of `role` (staff accounts as an operator would make them), logged in: its id and token. */
  newAccount(role: Role): Promise<{ userId: string; email: string; token: string }>;
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  eventCount(): Promise<number>;
  /** With `behindProxy`: the TCP proxy between the service and Postgres, to cut the database off and back. */
  proxy: TcpProxy | undefined;
  close(): Promise<void>;
}

/** The database URL with its host and port replaced by the proxy's. */
function throughProxy(url: string, proxy: TcpProxy): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}

export async function startCommandApp(limits = { burst: 10_000, perSecond: 10_000 }, options: { behindProxy?: boolean } = {}): Promise<CommandAppHarness> {
  const database: TestPostgres = await startTestPostgres();
  const postgres = new URL(database.url);
  const proxy = options.behindProxy ? await startTcpProxy({ host: postgres.hostname, port: Number(postgres.port || 5432) }) : undefined;
  const pool = createPool(proxy ? throughProxy(database.url, proxy) : database.url, { max: 20 });
  await applySchema(pool);
  const rawStore = new PostgresEventStore(pool);
  const keys = new PostgresDataKeyRing(pool, TEST_DATA_KEY_ENCRYPTION_KEY);
  const store = new PersonalDataEventStore(rawStore, new PersonalDataCodec(keys, PERSONAL_DATA));
  await seedDevAccounts(pool, store, TEST_PASSWORD);
  const signingKeys = generateEd25519KeyPair();
  const tokens = createTokenService({ privateKey: signingKeys.privateKey, issuer: 'shop', audience: 'shop-api', ttlSeconds: 600, versions: new BatchedTokenVersions(pool) });
  const { app } = buildCommandApp({ pool, bookkeeping: pool, store, keys, tokens, logger: createLogger('test', 'silent'), bodyLimitBytes: 64 * 1024, writeLimit: limits, loginLimit: limits });
  const http: Server = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const request: CommandAppHarness['request'] = (method, path, options = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    });

  const tokenFor = async (email: string, password = TEST_PASSWORD): Promise<string> => {
    const response = await request('POST', '/api/auth/login', { body: { email, password } });
    if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  };

  const newShopper = async (): Promise<{ token: string; customerId: string }> => {
    const email = `shopper-${randomUUID()}@example.com`;
    const registered = await request('POST', '/api/auth/register', { body: { email, password: 'a-long-enough-password', name: 'Test Shopper' } });
    if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
    const { customerId } = (await registered.json()) as { customerId: string };
    return { token: await tokenFor(email, 'a-long-enough-password'), customerId };
  };

  return {
    base,
    databaseUrl: database.url,
    pool,
    store,
    rawStore,
    keys,
    signingKeys,
    tokens,
    tokenFor,
    newShopper,
    async newAccount(role) {
      if (role === 'shopper') {
        const shopper = await newShopper();
        const { rows } = await pool.query<{ id: string; email: string }>('SELECT id, email FROM user_accounts WHERE customer_id = $1', [shopper.customerId]);
        return { userId: rows[0]!.id, email: rows[0]!.email, token: shopper.token };
      }
      const userId = randomUUID();
      const email = `${role}-${userId}@example.com`;
      await pool.query('INSERT INTO user_accounts (id, email, password_hash, role) VALUES ($1, $2, $3, $4)', [userId, email, await hashPassword(TEST_PASSWORD), role]);
      return { userId, email, token: await tokenFor(email) };
    },
    request,
    async eventCount() {
      return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    },
    proxy,
    async close() {
      await new Promise((resolve) => http.close(resolve));
      // As main.ts does: idempotent answers are stored after their responses went out; let them land first.
      await waitUntilIdle([pool]);
      await pool.end();
      await proxy?.close();
      await database.stop();
    },
  };
}
