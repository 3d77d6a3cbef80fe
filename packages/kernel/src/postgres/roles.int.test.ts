import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import type { NewEvent } from '../event-store/event-store.port.js';
import { verifyHashChains } from '../event-store/postgres-hash-chain.js';
import { PostgresEventStore } from '../event-store/postgres-event-store.js';
import { APPLICATION_ROLES, migrate, type ApplicationRole } from './migrate.js';
import { createPool } from './pool.js';

const event = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'Made',
  schemaVersion: 1,
  data: { n },
  metadata: { correlationId: 'c', causationId: 'c', actor: { system: 'roles-test' } },
});

/** The SQLSTATE a statement fails with, or 'ok'. */
async function outcome(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<string> {
  try {
    await pool.query(sql, params);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('database roles (init.sql grants; real Postgres)', () => {
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

  it('keeps the command role out of the read models', async () => {
    expect(await outcome(pools.shop_command, "INSERT INTO projection_checkpoints (projection, position) VALUES ('x', 0)")).toBe('42501');
    expect(await outcome(pools.shop_command, 'DELETE FROM catalog_products')).toBe('42501');
  });

  it('lets the projector role read the log and write read models and checkpoints, and nothing else', async () => {
    expect(await outcome(pools.shop_projector, 'SELECT count(*) FROM events')).toBe('ok');
    expect(await outcome(pools.shop_projector, "INSERT INTO projection_checkpoints (projection, position) VALUES ('roles-test', 3) ON CONFLICT DO NOTHING")).toBe('ok');
    expect(await outcome(pools.shop_projector, 'DELETE FROM catalog_products')).toBe('ok');
    expect(await outcome(pools.shop_projector, 'SELECT count(*) FROM user_accounts')).toBe('42501');
    expect(await outcome(pools.shop_projector, 'INSERT INTO idempotency_keys SELECT * FROM idempotency_keys LIMIT 0')).toBe('42501');
    // Personal-data keys: read to decrypt while projecting, never made or shredded (the command service's job).
    expect(await outcome(pools.shop_projector, 'SELECT count(*) FROM personal_data_keys')).toBe('ok');
    expect(await outcome(pools.shop_projector, 'UPDATE personal_data_keys SET wrapped_key = NULL, erased_at = now()')).toBe('42501');
  });

  it('gives the query role reads only, and never credentials', async () => {
    expect(await outcome(pools.shop_query, 'SELECT count(*) FROM events')).toBe('ok');
    expect(await outcome(pools.shop_query, 'SELECT count(*) FROM orders')).toBe('ok');
    // Of the accounts only the token version (revocation on reads): never an email or a password hash.
    expect(await outcome(pools.shop_query, 'SELECT id, token_version FROM user_accounts')).toBe('ok');
    expect(await outcome(pools.shop_query, 'SELECT email FROM user_accounts')).toBe('42501');
    expect(await outcome(pools.shop_query, 'SELECT password_hash FROM user_accounts')).toBe('42501');
    expect(await outcome(pools.shop_query, 'SELECT * FROM idempotency_keys')).toBe('42501');
    expect(await outcome(pools.shop_query, "UPDATE projection_checkpoints SET position = 0 WHERE projection = 'roles-test'")).toBe('42501');
    expect(await outcome(pools.shop_query, 'DELETE FROM orders')).toBe('42501');
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
