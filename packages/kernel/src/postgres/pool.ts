import pg from 'pg';

// bigint columns (positions, versions) arrive as strings; callers convert them explicitly with BigInt().
export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /**
   * Commit without waiting for the WAL flush. Only for bookkeeping whose loss in a database crash is harmless or
   * is covered by a later durable commit (WAL is flushed in order): never for the event store.
   */
  asynchronousCommit?: boolean;
}

export function createPool(connectionString: string, options: PoolOptions = {}): pg.Pool {
  return new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'shop',
    connectionTimeoutMillis: 5_000,
    ...(options.asynchronousCommit ? { options: '-c synchronous_commit=off' } : {}),
  });
}

/** Runs `work` in one transaction on a pooled client; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
