import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { retryUntil, startTestPostgres, type TestPostgres } from '@shop/testing';
import { createPool } from './pool.js';

/** Ends every server connection of `applicationName` from outside, as a Postgres restart or an admin would. */
async function terminateBackends(admin: pg.Pool, applicationName: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  return rows[0]!.n;
}

describe('createPool (real Postgres)', () => {
  let database: TestPostgres;
  let admin: pg.Pool;

  beforeAll(async () => {
    database = await startTestPostgres();
    admin = createPool(database.url, { max: 1, applicationName: 'pool-test-admin' });
  });

  afterAll(async () => {
    await admin.end();
    await database.stop();
  });

  it('survives its idle connections being ended by the server, reports it, and reconnects', async () => {
    const reported: Error[] = [];
    const pool = createPool(database.url, { max: 3, applicationName: 'pool-test-idle', onIdleError: (error) => reported.push(error) });
    try {
      await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.05)')));
      expect(await terminateBackends(admin, 'pool-test-idle')).toBe(3);
      // The pool hears of each ended connection asynchronously: wait for all three reports.
      await retryUntil('three idle errors reported', async () => expect(reported.length).toBe(3), { timeoutMs: 10_000, intervalMs: 20 });
      expect(pool.totalCount).toBe(0);
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('survives a checked-out connection being ended: its next query fails, the pool drops it at release', async () => {
    const pool = createPool(database.url, { max: 1, applicationName: 'pool-test-checked-out' });
    try {
      const client = await pool.connect();
      await client.query('BEGIN');
      // The client has heard of it once its connection ended (the server closes it after saying why).
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      expect(await terminateBackends(admin, 'pool-test-checked-out')).toBe(1);
      await ended;
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
