import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serveReadModels, TEST_TOKENS, type ReadModelsApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';

interface Page {
  items: Array<{ projection: string; globalPosition: string; streamId: string; eventType: string; error: string; attempts: number; failedAt: string }>;
  nextCursor: string | null;
}

/** The admin's dead-letter list over HTTP, on a real Postgres holding letters as the projector parks them. */
describe('GET /api/admin/dead-letters (real Postgres)', () => {
  let database: TestDatabase;
  let app: ReadModelsApp;
  let admin: string;

  /** Parks one event per entry: [checkpoint row name, global position] (the store's events are not needed to list). */
  const park = async (letters: Array<[string, number]>): Promise<void> => {
    for (const [checkpoint, position] of letters) {
      await database.pool.query(
        `INSERT INTO projection_dead_letters (projection, global_position, event_id, stream_id, event_type, error, attempts, failed_at)
         VALUES ($1, $2, $3, $4, 'OrderPaid', 'cannot apply', 3, '2026-12-03T10:00:00Z')`,
        [checkpoint, position, randomUUID(), `order-${position}`],
      );
    }
  };
  const list = async (query = '', token: string | null = admin): Promise<{ status: number; body: unknown; cacheControl: string | null }> => {
    const response = await fetch(`${app.base}/api/admin/dead-letters${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: await response.json(), cacheControl: response.headers.get('cache-control') };
  };
  const positionsOf = (body: unknown): Array<[string, string]> => (body as Page).items.map((item) => [item.projection, item.globalPosition]);

  beforeAll(async () => {
    database = await startTestDatabase();
    app = await serveReadModels(database);
    admin = await TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role: 'admin' });
    await park([
      ['orders', 10],
      ['catalog/0of2', 11],
      ['catalog/1of2', 12],
      ['orders', 13],
      ['catalog', 14],
      ['sales', 15],
    ]);
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await database?.stop();
  });

  it('lists every projection\'s letters newest first, each with its event, error and time, never cached', async () => {
    const { status, body, cacheControl } = await list();
    expect({ status, cacheControl }).toEqual({ status: 200, cacheControl: 'no-store' });
    expect(positionsOf(body)).toEqual([['sales', '15'], ['catalog', '14'], ['orders', '13'], ['catalog', '12'], ['catalog', '11'], ['orders', '10']]);
    expect((body as Page).items[0]).toEqual({
      projection: 'sales',
      globalPosition: '15',
      streamId: 'order-15',
      eventType: 'OrderPaid',
      error: 'cannot apply',
      attempts: 3,
      failedAt: '2026-12-03T10:00:00.000Z',
    });
    expect((body as Page).nextCursor).toBeNull();
  });

  it('lists one projection\'s letters, its partitions\' included, under the projection\'s name', async () => {
    expect(positionsOf((await list('?projection=catalog')).body)).toEqual([['catalog', '14'], ['catalog', '12'], ['catalog', '11']]);
    expect((await list('?projection=customers')).body).toEqual({ items: [], nextCursor: null });
  });

  it('pages with limit and the opaque cursor, through every letter exactly once', async () => {
    const seen: Array<[string, string]> = [];
    let query = '?limit=2';
    for (let pages = 0; pages < 10; pages++) {
      const { status, body } = await list(query);
      expect(status).toBe(200);
      seen.push(...positionsOf(body));
      const { nextCursor } = body as Page;
      if (!nextCursor) break;
      query = `?limit=2&cursor=${nextCursor}`;
    }
    expect(seen).toEqual(positionsOf((await list()).body));
  });

  it('answers 400 problem+json to an unknown projection, a bad limit or cursor and an unknown parameter', async () => {
    for (const query of ['?projection=nope', '?projection=catalog%2F1of2', '?limit=0', '?limit=101', '?cursor=not-a-cursor', '?sort=oldest']) {
      const { status, body } = await list(query);
      expect({ query, status, code: (body as { code: string }).code }).toEqual({
        query,
        status: 400,
        code: query.startsWith('?cursor') ? 'invalid_cursor' : 'validation_failed',
      });
    }
  });

  it('is the admin\'s alone', async () => {
    expect((await list('', null)).status).toBe(401);
    for (const role of ['shopper', 'auditor', 'analyst'] as const) {
      const token = await TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role, ...(role === 'shopper' ? { customerId: randomUUID() } : {}) });
      expect({ role, status: (await list('', token)).status }).toEqual({ role, status: 403 });
    }
  });
});
