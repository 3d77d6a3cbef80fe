import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from './pool.js';

/** One SQL file of the schema, as the runner applies it. */
export interface SchemaMigration {
  /** Its file name without `.sql` (`0100-event-store`): the key in `schema_migrations`, unique over the schema. */
  name: string;
  /** Where it lives, relative to the repository root: what an error names. */
  path: string;
  sql: string;
  /** sha256 of the file's text (hex): an applied file must never change. */
  checksum: string;
}

/** The text's sha256, as `schema_migrations.checksum` stores it. */
export const checksumOf = (sql: string): string => createHash('sha256').update(sql, 'utf8').digest('hex');

/** What an applied migration is remembered by; init.sql creates the same table (schema.ts, generateInitSql). */
export const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name       text        PRIMARY KEY,
  checksum   text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

// Taken by every transaction of the runner, so concurrent starters (replicas, test suites, `npm start` beside the
// migrate container) apply each file once, one after the other. Advisory locks are per database: starters on other
// databases of the same server do not wait for each other.
const MIGRATION_LOCK_KEY = 7_246_001;

/** An applied migration's file changed afterwards: the database was built from other SQL than the one on disk. */
export class ChangedMigration extends Error {
  constructor(
    readonly migration: SchemaMigration,
    readonly appliedChecksum: string,
  ) {
    super(
      `schema migration ${migration.name} (${migration.path}) was applied with checksum ${appliedChecksum}, but the file ` +
        `now has ${migration.checksum}: an applied migration is never edited; restore it and put the change in a new file`,
    );
    this.name = 'ChangedMigration';
  }
}

export interface MigrationRun {
  /** Applied by this run, in order. */
  applied: string[];
  /** Found applied already (by an earlier run or a concurrent starter). */
  skipped: string[];
}

/**
 * Brings a database up to `migrations`, in their order: each file not yet in `schema_migrations` runs in its own
 * transaction with its row, under one advisory lock, so a failing file leaves the ones before it applied and
 * nothing of itself. Every applied file's checksum is compared first: a changed one refuses the whole run before
 * anything is applied.
 */
export async function runMigrations(pool: pg.Pool, migrations: readonly SchemaMigration[]): Promise<MigrationRun> {
  const run: MigrationRun = { applied: [], skipped: [] };
  const applied = await inLockedTransaction(pool, async (client) => {
    await client.query(SCHEMA_MIGRATIONS_TABLE);
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    return new Map(rows.map((row) => [row.name, row.checksum]));
  });
  for (const migration of migrations) refuseIfChanged(migration, applied.get(migration.name));

  for (const migration of migrations) {
    if (applied.has(migration.name)) {
      run.skipped.push(migration.name);
      continue;
    }
    const appliedNow = await inLockedTransaction(pool, async (client) => {
      // Another starter may have applied it while this one waited for the lock.
      const { rows } = await client.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE name = $1', [migration.name]);
      if (rows[0]) {
        refuseIfChanged(migration, rows[0].checksum);
        return false;
      }
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
      return true;
    });
    (appliedNow ? run.applied : run.skipped).push(migration.name);
  }
  return run;
}

function refuseIfChanged(migration: SchemaMigration, appliedChecksum: string | undefined): void {
  if (appliedChecksum !== undefined && appliedChecksum !== migration.checksum) throw new ChangedMigration(migration, appliedChecksum);
}

function inLockedTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    // NOTICEs of idempotent DDL ("relation already exists, skipping") are noise; warnings still show.
    await client.query('SET LOCAL client_min_messages = warning');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    return work(client);
  });
}
