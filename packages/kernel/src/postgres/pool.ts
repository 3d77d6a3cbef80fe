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
  /** An idle pooled connection failed (the server restarted, an admin ended it): the pool has dropped it already. */
  onIdleError?: (error: Error) => void;
}

export function createPool(connectionString: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'shop',
    connectionTimeoutMillis: 5_000,
    ...(options.asynchronousCommit ? { options: '-c synchronous_commit=off' } : {}),
  });
  // A connection the server closes (a restart, a failover, pg_terminate_backend) is an 'error' event, and one
  // nobody listens to ends the process. An idle connection's failure is news only: the pool drops it and the next
  // query opens a new one. A checked-out one's failure also reaches its query (or the next), and the pool drops it
  // at release, so the client-level listener has nothing to do but be there.
  pool.on('error', (error) => options.onIdleError?.(error));
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one transaction on a pooled client; rolls back on any error. */
export function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransactionClient(pool, async (client) => {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  });
}

/**
 * Lends `work` a pooled client for a transaction it opens and commits itself, for callers that save round trips by
 * sending BEGIN with their first statement and COMMIT with their last. Whatever fails rolls the transaction back
 * (a ROLLBACK outside one is only a warning), and the client always goes back to the pool.
 */
export async function withTransactionClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const isIdle = (pool: pg.Pool): boolean => pool.waitingCount === 0 && pool.idleCount === pool.totalCount;

/**
 * Resolves once no client of any pool has been checked out for two looks in a row (`settleMs` apart), or after
 * `timeoutMs`. A service calls it after its server stopped taking requests and before ending the pools, so work
 * already started (an append, then the idempotency answer that follows it) finishes instead of failing half-way.
 */
export async function waitUntilIdle(pools: readonly pg.Pool[], timeoutMs = 5_000, settleMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quietLooks = 0;
  while (Date.now() < deadline) {
    quietLooks = pools.every(isIdle) ? quietLooks + 1 : 0;
    if (quietLooks >= 2) return true;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  }
  return false;
}
