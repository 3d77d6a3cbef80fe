import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { localServerFailure, runContainer, startInfra, type TestInfra } from './containers.js';

export interface TestPostgres extends TestInfra {
  /** postgres:// URL of a database that belongs to this handle alone. */
  url: string;
  /** Removes the container, or drops the database (WITH (FORCE)) on the local server. */
  stop(): Promise<void>;
}

const USER = 'test';
const PASSWORD = 'test';
const DATABASE = 'test';

/**
 * A Postgres database for one test suite: a fresh container (see `SHOP_TEST_POSTGRES_IMAGE`), or a fresh
 * `shop_test_<random>` database on the local server (`TEST_DATABASE_URL`).
 */
export function startTestPostgres(): Promise<TestPostgres> {
  return startInfra('postgres', { container: startContainer, local: startLocal });
}

async function startContainer(image: string): Promise<TestPostgres> {
  const urlFor = (address: string): string => `postgres://${USER}:${PASSWORD}@${address}/${DATABASE}`;
  const running = await runContainer(
    'postgres',
    image,
    5432,
    (container) =>
      container
        .withEnvironment({
          POSTGRES_USER: USER,
          POSTGRES_PASSWORD: PASSWORD,
          POSTGRES_DB: DATABASE,
          POSTGRES_INITDB_ARGS: '--no-sync',
        })
        .withCommand(['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    (address) => selectOne(urlFor(address)),
  );
  return { url: urlFor(running.address), source: 'container', stop: running.stop };
}

async function startLocal(adminUrl: string): Promise<TestPostgres> {
  const database = `shop_test_${randomBytes(6).toString('hex')}`;
  try {
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  } catch (err) {
    throw localServerFailure('postgres', `cannot create a database on the local server ${redact(adminUrl)}`, err);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  let stopped = false;
  return {
    url: url.toString(),
    source: 'local',
    async stop() {
      if (stopped) return;
      stopped = true;
      await withClient(adminUrl, async (client) => {
        // pg's pool.end() resolves before its connections have closed. Forcing the drop while one still closes
        // makes the server send it a FATAL that its client emits as an unhandled 'error': let them go first.
        const deadline = Date.now() + 2_000;
        while (Date.now() < deadline) {
          const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
          if (rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      });
    },
  };
}

async function selectOne(url: string): Promise<void> {
  await withClient(url, (client) => client.query('SELECT 1'));
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // A connection the server drops (e.g. while it starts) must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

