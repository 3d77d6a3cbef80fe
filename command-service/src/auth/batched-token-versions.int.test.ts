import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { applySchema, createPool } from '@shop/kernel';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { BatchedTokenVersions } from './batched-token-versions.js';

describe('BatchedTokenVersions (real Postgres)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;

  const account = async (version: number): Promise<string> => {
    const id = randomUUID();
    await pool.query("INSERT INTO user_accounts (id, email, password_hash, role, token_version) VALUES ($1, $2, 'x', 'shopper', $3)", [id, `${id}@test.local`, version]);
    return id;
  };

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url);
    await applySchema(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.stop();
  });

  it('answers each account its stored version and an unknown account none', async () => {
    const versions = new BatchedTokenVersions(pool);
    const [a, b] = [await account(0), await account(3)];
    await expect(Promise.all([versions.current(a), versions.current(b), versions.current(randomUUID()), versions.current(a.toUpperCase())])).resolves.toEqual([0, 3, undefined, 0]);
  });

  it('answers fifty concurrent lookups with fewer queries than lookups, each with its own account', async () => {
    const versions = new BatchedTokenVersions(pool);
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => account(i)));
    const lookups = Array.from({ length: 50 }, (_, n) => n % 10);
    await expect(Promise.all(lookups.map((i) => versions.current(ids[i]!)))).resolves.toEqual(lookups);
    // The first lookup goes out alone; the 49 asked while it was in flight share the next query.
    expect(versions.queries).toBe(2);
  });

  it('fails every lookup of a batch whose query failed, with the error of its query, and sends no query again', async () => {
    const unreachable = new URL(database.url);
    unreachable.pathname = '/no_such_database';
    const broken = createPool(unreachable.toString());
    try {
      const versions = new BatchedTokenVersions(broken);
      const lookups = Array.from({ length: 10 }, () => versions.current(randomUUID()).then(() => 'answered', (error: unknown) => (error as { code?: string }).code));
      // 3D000: invalid_catalog_name, the database does not exist.
      await expect(Promise.all(lookups)).resolves.toEqual(Array.from({ length: 10 }, () => '3D000'));
      expect(versions.queries).toBe(2);
    } finally {
      await broken.end();
    }
  });

  it('sees a version bumped (a logout) before the lookup was asked for', async () => {
    const versions = new BatchedTokenVersions(pool);
    const id = await account(1);
    await expect(versions.current(id)).resolves.toBe(1);
    await pool.query('UPDATE user_accounts SET token_version = token_version + 1 WHERE id = $1', [id]);
    await expect(versions.current(id)).resolves.toBe(2);
  });
});
