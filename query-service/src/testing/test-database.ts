import type pg from 'pg';
import { applySchema, createPool, PostgresEventStore } from '@shop/kernel';
import { startTestPostgres } from '@shop/testing';

/** A Postgres of the suite's own, with the shop's schema, a pool on it and the event store over that pool. */
export interface TestDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  readonly store: PostgresEventStore;
  /** Ends the pool, then the database. */
  stop(): Promise<void>;
}

/** Starts a Postgres (testcontainers or the local server, see @shop/testing) and applies the schema to it. */
export async function startTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const database = await startTestPostgres();
  const pool = createPool(database.url, options.poolSize === undefined ? {} : { max: options.poolSize });
  await applySchema(pool);
  return {
    url: database.url,
    pool,
    store: new PostgresEventStore(pool),
    async stop() {
      await pool.end();
      await database.stop();
    },
  };
}
