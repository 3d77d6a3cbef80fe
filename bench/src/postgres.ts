import pg from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The same server and credentials, another database. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'shop-bench-admin', connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function assertSafeName(database: string): void {
  if (!SAFE_NAME.test(database)) throw new TypeError(`Refusing database name ${JSON.stringify(database)}`);
}

export async function createDatabase(serverUrl: string, database: string): Promise<void> {
  assertSafeName(database);
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${database}`));
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  assertSafeName(database);
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
}

export async function serverVersion(serverUrl: string): Promise<string> {
  return withClient(serverUrl, async (client) => (await client.query<{ version: string }>('SELECT version()')).rows[0]!.version);
}

/** Databases named `<prefix><pid>_<n>` left behind by runs that are gone (killed before they could drop them). */
export async function dropOrphanDatabases(serverUrl: string, prefix: string): Promise<string[]> {
  assertSafeName(prefix);
  const names = await withClient(serverUrl, async (client) =>
    (await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix])).rows.map(
      (row) => row.datname,
    ),
  );
  const orphans = names.filter((name) => {
    const pid = Number(/^(\d+)_\d+$/.exec(name.slice(prefix.length))?.[1]);
    return Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
  });
  for (const name of orphans) await dropDatabase(serverUrl, name);
  return orphans;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` on a database of its own, created empty on the server of `serverUrl` and dropped afterwards, whatever
 * happened: every round of a suite starts from nothing and leaves nothing behind. `work` stops what it started on it.
 */
export async function withFreshDatabase<T>(serverUrl: string, database: string, work: (url: string) => Promise<T>): Promise<T> {
  await createDatabase(serverUrl, database);
  try {
    return await work(databaseUrlFor(serverUrl, database));
  } finally {
    await dropDatabase(serverUrl, database);
  }
}
