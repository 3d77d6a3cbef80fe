import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { contractEvent } from '../event-store/event-store.contract.js';
import type { NewEvent } from '../event-store/event-store.port.js';
import { PostgresEventStore } from '../event-store/postgres-event-store.js';
import { verifyHashChains } from '../event-store/postgres-hash-chain.js';
import { ChangedMigration, checksumOf, runMigrations, type SchemaMigration } from './migrations.js';
import { createPool } from './pool.js';
import { applySchema, generateInitSql, loadSchema, SCHEMA_FILES } from './schema.js';

/**
 * The init.sql of df7456d, the last one written by hand and applied whole at every start: the databases to adopt. Kept
 * as a fixture (gzipped: it is not code to read) rather than read from git, so the test runs in a shallow clone too.
 */
const LAST_HAND_WRITTEN_INIT_SQL = new URL('fixtures/init-df7456d.sql.gz', import.meta.url);

const started: Array<{ database: TestPostgres; pool: pg.Pool }> = [];

async function freshDatabase(): Promise<pg.Pool> {
  const database = await startTestPostgres();
  const pool = createPool(database.url, { max: 4, applicationName: 'migrations-test' });
  started.push({ database, pool });
  return pool;
}

afterEach(async () => {
  for (const { database, pool } of started.splice(0)) {
    await pool.end();
    await database.stop();
  }
});

/**
 * Everything of the public schema a migration could change, one sorted line each: columns (order, type, default,
 * generation), constraints, indexes, functions with their settings, aggregates, triggers, table options and grants.
 */
async function schemaOf(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(`
    SELECT format('column %s.%s #%s %s %s default=%s generated=%s', table_name, column_name, ordinal_position, data_type,
                  is_nullable, column_default, generation_expression) AS line
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT format('function %s acl=%s', pg_get_functiondef(oid), proacl)
      FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prokind <> 'a'
    UNION ALL SELECT format('aggregate %s step=%s', aggfnoid::regprocedure, aggtransfn)
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL SELECT format('trigger %s', pg_get_triggerdef(oid)) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT format('relation %s kind=%s options=%s acl=%s', relname, relkind, reloptions, relacl)
      FROM pg_class WHERE relnamespace = 'public'::regnamespace
    UNION ALL SELECT format('column grant %s.%s %s', attrelid::regclass, attname, attacl)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'public'::regnamespace AND a.attacl IS NOT NULL
    ORDER BY 1`);
  return rows.map((row) => row.line);
}

const recorded = async (pool: pg.Pool): Promise<Array<{ name: string; checksum: string }>> =>
  (await pool.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name')).rows;

const migration = (name: string, sql: string): SchemaMigration => ({ name, path: `test/${name}.sql`, sql, checksum: checksumOf(sql) });

const event = (n: number): NewEvent => contractEvent('Made', { n });

describe('the migration runner (real Postgres)', () => {
  it('builds a fresh database from every schema file in order, recording each with its checksum', async () => {
    const pool = await freshDatabase();
    const schema = await loadSchema();
    expect(await applySchema(pool)).toEqual({ applied: schema.map((m) => m.name), skipped: [] });
    expect(await recorded(pool)).toEqual(schema.map(({ name, checksum }) => ({ name, checksum })));
    expect(await applySchema(pool)).toEqual({ applied: [], skipped: schema.map((m) => m.name) });
  });

  it('adopts a database built by the hand-written init.sql without losing a row, leaving the schema a fresh one has', async () => {
    const previousInitSql = gunzipSync(await readFile(LAST_HAND_WRITTEN_INIT_SQL)).toString('utf8');
    const existing = await freshDatabase();
    await existing.query(previousInitSql);
    const store = new PostgresEventStore(existing);
    const stream = `order-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [event(1), event(2)]);
    await existing.query("INSERT INTO projection_checkpoints (projection, position) VALUES ('catalog', 2)");
    await existing.query("INSERT INTO user_accounts (id, email, password_hash, role) VALUES ($1, 'a@shop.test', 'x', 'admin')", [randomUUID()]);

    expect((await applySchema(existing)).applied).toEqual(SCHEMA_FILES.map((path) => path.slice(path.lastIndexOf('/') + 1, -'.sql'.length)));

    const fresh = await freshDatabase();
    await applySchema(fresh);
    expect(await schemaOf(existing)).toEqual(await schemaOf(fresh));
    expect((await store.readStream(stream)).map((e) => e.data.n)).toEqual([1, 2]);
    expect((await existing.query('SELECT position FROM projection_checkpoints')).rows).toEqual([{ position: '2' }]);
    expect((await existing.query('SELECT email FROM user_accounts')).rows).toEqual([{ email: 'a@shop.test' }]);
    await store.appendToStream(stream, 2n, [event(3)]);
    expect((await verifyHashChains(existing)).ok).toBe(true);
  });

  it('builds from the generated init.sql the schema the runner builds, and the runner then finds nothing to apply', async () => {
    const schema = await loadSchema();
    const fromInitSql = await freshDatabase();
    await fromInitSql.query(generateInitSql(schema));
    const fromRunner = await freshDatabase();
    await applySchema(fromRunner);
    expect(await schemaOf(fromInitSql)).toEqual(await schemaOf(fromRunner));
    expect(await recorded(fromInitSql)).toEqual(await recorded(fromRunner));
    expect(await applySchema(fromInitSql)).toEqual({ applied: [], skipped: schema.map((m) => m.name) });
  });

  it('refuses a file changed after it was applied, naming it, before applying anything', async () => {
    const pool = await freshDatabase();
    await runMigrations(pool, [migration('0001-a', 'CREATE TABLE a (id int)')]);
    const edited = migration('0001-a', 'CREATE TABLE a (id bigint)');
    const run = runMigrations(pool, [edited, migration('0002-b', 'CREATE TABLE b (id int)')]);
    await expect(run).rejects.toBeInstanceOf(ChangedMigration);
    await expect(run).rejects.toThrow(/0001-a \(test\/0001-a\.sql\) was applied with checksum [0-9a-f]{64}, but the file now has/);
    expect((await pool.query("SELECT to_regclass('b') IS NULL AS absent")).rows).toEqual([{ absent: true }]);
  });

  it('keeps a failing file out entirely, and the files before it applied', async () => {
    const pool = await freshDatabase();
    const first = migration('0001-a', 'CREATE TABLE a (id int)');
    await expect(runMigrations(pool, [first, migration('0002-b', 'CREATE TABLE b (id int); SELECT 1 / 0')])).rejects.toThrow('division by zero');
    expect((await pool.query("SELECT to_regclass('a') IS NOT NULL AS a, to_regclass('b') IS NOT NULL AS b")).rows).toEqual([{ a: true, b: false }]);
    expect((await recorded(pool)).map((r) => r.name)).toEqual(['0001-a']);
    expect(await runMigrations(pool, [first, migration('0002-b', 'CREATE TABLE b (id int)')])).toEqual({ applied: ['0002-b'], skipped: ['0001-a'] });
  });

  it('applies each file once when several starters run at the same time', async () => {
    const pool = await freshDatabase();
    const migrations = Array.from({ length: 5 }, (_, i) => migration(`000${i}-t`, `CREATE TABLE t${i} (id int)`));
    const runs = await Promise.all(Array.from({ length: 4 }, () => runMigrations(pool, migrations)));
    expect(runs.flatMap((run) => run.applied).sort()).toEqual(migrations.map((m) => m.name));
    for (const run of runs) expect([...run.applied, ...run.skipped].sort()).toEqual(migrations.map((m) => m.name));
  });
});
