import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCommandApp, type CommandAppHarness } from '../../testing/command-app.js';

/** Redrive requests over HTTP, on a real Postgres: what the admin's button records for the projector to take. */
describe('POST /api/admin/projections/{projection}/redrive (real Postgres)', () => {
  let app: CommandAppHarness;
  let admin: { userId: string; token: string };

  beforeAll(async () => {
    app = await startCommandApp();
    admin = await app.newAccount('admin');
  }, 60_000);
  afterAll(() => app.close());

  const ask = (projection: string, body?: unknown): Promise<Response> =>
    app.request('POST', `/api/admin/projections/${projection}/redrive`, { token: admin.token, ...(body === undefined ? {} : { body }) });
  const requestIdOf = async (response: Response): Promise<string> => {
    expect(response.status).toBe(202);
    return ((await response.json()) as { requestId: string }).requestId;
  };
  const openRequests = async (projection: string) =>
    (await app.pool.query<{ id: string; requested_by: string }>('SELECT id, requested_by FROM projection_redrive_requests WHERE projection = $1 AND finished_at IS NULL', [projection])).rows;
  const finish = (id: string) => app.pool.query("UPDATE projection_redrive_requests SET started_at = now(), finished_at = now(), outcome = 'redriven', redriven = 0 WHERE id = $1", [id]);

  it('records a request by the admin and answers 202 with its id, appending no event', async () => {
    const before = await app.eventCount();
    const response = await ask('catalog');
    expect(response.headers.get('consistency-token')).toBe('0');
    const requestId = await requestIdOf(response);
    expect(await openRequests('catalog')).toEqual([{ id: requestId, requested_by: admin.userId }]);
    expect(await app.eventCount()).toBe(before);
    await finish(requestId);
  });

  it('answers the open request\'s id while one is open, however many ask at once, and a new one once it finished', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, async () => requestIdOf(await ask('orders'))));
    expect(new Set(ids).size).toBe(1);
    expect(await openRequests('orders')).toHaveLength(1);
    // Another projection's request is its own.
    const other = await requestIdOf(await ask('sales', {}));
    expect(other).not.toBe(ids[0]);

    await finish(ids[0]!);
    const next = await requestIdOf(await ask('orders'));
    expect(next).not.toBe(ids[0]);
    expect((await openRequests('orders')).map((row) => row.id)).toEqual([next]);
    await Promise.all([finish(next), finish(other)]);
  });

  it('refuses an unknown projection, a partition\'s name and a body with fields: 400 problem+json, nothing recorded', async () => {
    for (const [projection, body] of [['nope', undefined], ['catalog%2F1of2', undefined], ['customers', { force: true }]] as const) {
      const response = await ask(projection, body);
      expect({ projection, status: response.status, type: response.headers.get('content-type')?.split(';')[0], code: ((await response.json()) as { code: string }).code }).toEqual({
        projection,
        status: 400,
        type: 'application/problem+json',
        code: 'validation_failed',
      });
    }
    expect((await app.pool.query("SELECT 1 FROM projection_redrive_requests WHERE projection IN ('nope', 'catalog/1of2', 'customers')")).rowCount).toBe(0);
  });
});
