import { readFile } from 'node:fs/promises';
import type pg from 'pg';

/** init.sql at the repository root is the only definition of the schema. */
export const DEFAULT_SCHEMA_FILE = new URL('../../../../init.sql', import.meta.url);

const SCHEMA_LOCK_KEY = 7_246_001;

/** Applies init.sql idempotently; an advisory lock keeps concurrent starters from racing on DDL. */
export async function applySchema(pool: pg.Pool, schemaFile: URL | string = DEFAULT_SCHEMA_FILE): Promise<void> {
  const sql = await readFile(schemaFile, 'utf8');
  const client = await pool.connect();
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
