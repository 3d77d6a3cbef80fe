import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { contractEvent } from '../event-store/event-store.contract.js';
import type { NewEvent } from '../event-store/event-store.port.js';
import { verifyHashChains } from '../event-store/postgres-hash-chain.js';
import { PostgresEventStore } from '../event-store/postgres-event-store.js';
import { APPLICATION_ROLES, migrate, type ApplicationRole } from './migrate.js';
import { createPool } from './pool.js';

const event = (n: number): NewEvent => contractEvent('Made', { n });

/** The SQLSTATE a statement fails with, or 'ok'. */
async function outcome(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<string> {
  try {
    await pool.query(sql, params);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('database roles (0900-roles-and-grants.sql; real Postgres)', () => {
  let database: TestPostgres;
  let owner: pg.Pool;
  const pools = {} as Record<ApplicationRole, pg.Pool>;
  const stream = `order-${randomUUID()}`;

  beforeAll(async () => {
    database = await startTestPostgres();
    owner = createPool(database.url, { max: 2, applicationName: 'roles-test-owner' });
    const passwords = Object.fromEntries(APPLICATION_ROLES.map((role) => [role, `pw-${randomUUID()}`])) as Record<ApplicationRole, string>;
    expect((await migrate(owner, passwords)).loginRoles).toEqual([...APPLICATION_ROLES]);
    for (const role of APPLICATION_ROLES) {
      const url = new URL(database.url);
      url.username = role;
      url.password = passwords[role];
      pools[role] = createPool(url.toString(), { max: 2, applicationName: `roles-test-${role}` });
    }
  });

  afterAll(async () => {
    await Promise.all(APPLICATION_ROLES.map((role) => pools[role]?.end()));
    await owner?.end();
    await database?.stop();
  });

  it('lets the command role append events and keep accounts and idempotency keys', async () => {
    const store = new PostgresEventStore(pools.shop_command);
    await store.appendToStream(stream, 'no_stream', [event(1), event(2)]);
    await store.appendToStream(stream, 2n, [event(3)]);
    expect((await store.readStream(stream)).map((e) => e.data.n)).toEqual([1, 2, 3]);
    expect(
      await outcome(pools.shop_command, "INSERT INTO user_accounts (id, email, password_hash, role) VALUES ($1, $2, 'x', 'admin')", [randomUUID(), `${randomUUID()}@t`]),
    ).toBe('ok');
    expect(await outcome(pools.shop_command, 'SELECT count(*) FROM idempotency_keys')).toBe('ok');
  });

  // What each role may and may not do, one statement a line: 'ok', or the SQLSTATE it must fail with (42501:
  // insufficient privilege).
  const permissions: Array<[ApplicationRole, string, 'ok' | '42501']> = [
    // command: never the read models.
    ['shop_command', "INSERT INTO projection_checkpoints (projection, position) VALUES ('x', 0)", '42501'],
    ['shop_command', 'DELETE FROM catalog_products', '42501'],
    // projector: reads the log, writes read models and checkpoints, and nothing else.
    ['shop_projector', 'SELECT count(*) FROM events', 'ok'],
    ['shop_projector', "INSERT INTO projection_checkpoints (projection, position) VALUES ('roles-test', 3) ON CONFLICT DO NOTHING", 'ok'],
    ['shop_projector', 'DELETE FROM catalog_products', 'ok'],
    ['shop_projector', 'SELECT count(*) FROM user_accounts', '42501'],
    ['shop_projector', 'INSERT INTO idempotency_keys SELECT * FROM idempotency_keys LIMIT 0', '42501'],
    // Personal-data keys: read to decrypt while projecting, never made or shredded (the command service's job).
    ['shop_projector', 'SELECT count(*) FROM personal_data_keys', 'ok'],
    ['shop_projector', 'UPDATE personal_data_keys SET wrapped_key = NULL, erased_at = now()', '42501'],
    // query: reads only; of the accounts only the token version (revocation on reads), never an email or a hash.
    ['shop_query', 'SELECT count(*) FROM events', 'ok'],
    ['shop_query', 'SELECT count(*) FROM orders', 'ok'],
    ['shop_query', 'SELECT id, token_version FROM user_accounts', 'ok'],
    ['shop_query', 'SELECT email FROM user_accounts', '42501'],
    ['shop_query', 'SELECT password_hash FROM user_accounts', '42501'],
    ['shop_query', 'SELECT * FROM idempotency_keys', '42501'],
    ['shop_query', "UPDATE projection_checkpoints SET position = 0 WHERE projection = 'roles-test'", '42501'],
    ['shop_query', 'DELETE FROM orders', '42501'],
    // Redrive requests: the command service records them, the projector finishes them, the query service reads them.
    ['shop_command', "INSERT INTO projection_redrive_requests (id, projection, requested_by) VALUES (gen_random_uuid(), 'roles-test', gen_random_uuid())", 'ok'],
    ['shop_command', "UPDATE projection_redrive_requests SET outcome = 'failed', finished_at = now()", '42501'],
    ['shop_projector', "UPDATE projection_redrive_requests SET started_at = now(), finished_at = now(), outcome = 'redriven' WHERE projection = 'roles-test'", 'ok'],
    ['shop_projector', "INSERT INTO projection_redrive_requests (id, projection, requested_by) VALUES (gen_random_uuid(), 'roles-test-2', gen_random_uuid())", '42501'],
    ['shop_query', 'SELECT count(*) FROM projection_redrive_requests', 'ok'],
    ['shop_query', 'DELETE FROM projection_redrive_requests', '42501'],
  ];

  it('gives each role what its job needs and nothing more', async () => {
    const outcomes: Array<[ApplicationRole, string, string]> = [];
    for (const [role, sql] of permissions) outcomes.push([role, sql, await outcome(pools[role], sql)]);
    expect(outcomes).toEqual(permissions);
  });

  it('grants every table of the schema to some application role (a new table needs its grants)', async () => {
    // schema_migrations is the migration runner's, which runs as the owner.
    const { rows } = await owner.query<{ table_name: string }>(
      `SELECT c.relname AS table_name FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> 'schema_migrations'
          AND NOT EXISTS (SELECT 1 FROM unnest($1::text[]) r(role) WHERE has_table_privilege(r.role, c.oid, 'SELECT'))
          AND NOT EXISTS (SELECT 1 FROM unnest($1::text[]) r(role) WHERE has_any_column_privilege(r.role, c.oid, 'SELECT'))`,
      [[...APPLICATION_ROLES]],
    );
    expect(rows).toEqual([]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of events to every application role', async () => {
    for (const role of APPLICATION_ROLES) {
      expect(await outcome(pools[role], "UPDATE events SET data = '{}' WHERE stream_id = $1", [stream])).toBe('42501');
      expect(await outcome(pools[role], 'DELETE FROM events WHERE stream_id = $1', [stream])).toBe('42501');
      expect(await outcome(pools[role], 'TRUNCATE events')).toBe('42501');
    }
  });

  it('refuses them even to a role granted UPDATE and DELETE by mistake (the trigger)', async () => {
    await owner.query('GRANT UPDATE, DELETE, TRUNCATE ON events TO shop_projector');
    try {
      const update = pools.shop_projector.query("UPDATE events SET data = '{}' WHERE stream_id = $1", [stream]);
      await expect(update).rejects.toThrow('events is append-only: UPDATE refused for role shop_projector');
      await expect(pools.shop_projector.query('TRUNCATE events')).rejects.toThrow('events is append-only: TRUNCATE refused');
    } finally {
      await owner.query('REVOKE UPDATE, DELETE, TRUNCATE ON events FROM shop_projector');
    }
  });

  it('leaves tampering to the owner role, and verification still finds it', async () => {
    expect((await verifyHashChains(owner)).ok).toBe(true);
    await owner.query(`UPDATE events SET data = '{"n": 99}' WHERE stream_id = $1 AND stream_version = 2`, [stream]);
    const verdict = await verifyHashChains(pools.shop_query);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toMatchObject({ streamId: stream });
  });
});
