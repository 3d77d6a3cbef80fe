import type pg from 'pg';
import { applySchema, createPool, PostgresEventStore } from '@shop/kernel';
import { startTestNats, startTestPostgres, type TestNats, type TestPostgres } from '@shop/testing';

/** A suite's own database with the schema applied, a pool on it and the event store over that pool. */
export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  store: PostgresEventStore;
  /** Ends the pool and drops the database (or its container). */
  stop(): Promise<void>;
}

/** The database and also a NATS namespace of the suite's own. */
export interface TestDatabaseAndBus extends TestDatabase {
  bus: TestNats;
}

/** The schema applied to a started database, a pool and the store on it; `stop` ends the pool, then the database. */
async function onDatabase(database: TestPostgres, poolSize: number | undefined): Promise<TestDatabase> {
  const pool = createPool(database.url, { max: poolSize ?? 10 });
  await applySchema(pool);
  return {
    url: database.url,
    pool,
    store: new PostgresEventStore(pool),
    stop: async () => {
      await pool.end();
      await database.stop();
    },
  };
}

export async function startTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  return onDatabase(await startTestPostgres(), options.poolSize);
}

export async function startTestDatabaseAndBus(options: { poolSize?: number } = {}): Promise<TestDatabaseAndBus> {
  const [database, bus] = await Promise.all([startTestPostgres(), startTestNats()]);
  const onIt = await onDatabase(database, options.poolSize);
  return { ...onIt, bus, stop: async () => void (await Promise.all([onIt.stop(), bus.stop()])) };
}

/** Polls `check` (every 50 ms) until it holds; fails the test when it has not within `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every row the queries answer, one query after the other: a read model of several tables as one comparable list. */
export async function rowsOf(pool: pg.Pool, queries: readonly string[]): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const query of queries) rows.push(...(await pool.query<Record<string, unknown>>(query)).rows);
  return rows;
}
