import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@shop/kernel';
import type { Role } from '@shop/service-kit';
import { openApiSchemaProblems } from '@shop/testing';
import { newEvent } from '../testing/new-event.js';
import { appendOrderStory, orderPlaced } from '../testing/order-story.js';
import { serveAudit, TEST_TOKENS, type RunningQueryApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';

interface Answer {
  status: number;
  contentType: string | null;
  body: Record<string, unknown>;
}

describe('GET /api/audit/orders/:id/diff (real Postgres, over HTTP)', () => {
  let database: TestDatabase;
  let app: RunningQueryApp;
  const orderId = randomUUID();
  /** The order's events as stored: placed (1), paid (2), shipped (3). */
  let stored: RecordedEvent[];

  async function diff(query: string, role: Role | null = 'auditor', id: string = orderId): Promise<Answer> {
    const headers: Record<string, string> = role ? { authorization: `Bearer ${await TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role })}` } : {};
    const response = await fetch(`${app.base}/api/audit/orders/${id}/diff${query}`, { headers });
    return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
  }
  const eventOf = (version: number) => {
    const event = stored[version - 1]!;
    return {
      eventId: event.eventId,
      type: event.type,
      streamVersion: version,
      globalPosition: event.globalPosition.toString(),
      recordedAt: event.recordedAt.toISOString(),
    };
  };

  beforeAll(async () => {
    database = await startTestDatabase({ poolSize: 4 });
    // Another stream's event first, so that global positions and stream versions differ.
    await database.store.appendToStream(`product-${randomUUID()}`, 'no_stream', [newEvent({ type: 'ProductCreated', data: {} })]);
    stored = await appendOrderStory(database.store, orderPlaced(orderId, new Date().toISOString()), [
      (now) => ({ type: 'PayOrder', data: { orderId, method: 'card', paidAt: now } }),
      (now) => ({ type: 'ShipOrder', data: { orderId, shippedAt: now } }),
    ]);
    app = await serveAudit(database, { store: database.store });
  });

  afterAll(async () => {
    await app.stop();
    await database.stop();
  });

  it('answers each field changed between two versions, with old and new value and the event that changed it', async () => {
    const answer = await diff('?from=1&to=3');
    expect(answer.status).toBe(200);
    expect(openApiSchemaProblems('AuditOrderDiff', answer.body)).toEqual([]);
    expect(answer.body).toEqual({
      orderId,
      from: { asOf: '1', version: 1, recordedAt: stored[0]!.recordedAt.toISOString() },
      to: { asOf: '3', version: 3, recordedAt: stored[2]!.recordedAt.toISOString() },
      changes: [
        { field: 'status', oldValue: 'placed', newValue: 'shipped', event: eventOf(3) },
        { field: 'paymentMethod', oldValue: null, newValue: 'card', event: eventOf(2) },
        { field: 'paidAt', oldValue: null, newValue: stored[1]!.data.paidAt, event: eventOf(2) },
        { field: 'shippedAt', oldValue: null, newValue: stored[2]!.data.shippedAt, event: eventOf(3) },
      ],
    });
  });

  it('reads from and to as points in time, with zone offsets, as the as-of read does', async () => {
    const paidAt = stored[1]!.recordedAt;
    const berlin = new Date(paidAt.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    const answer = await diff(`?from=${encodeURIComponent(berlin)}&to=${encodeURIComponent(new Date(stored[2]!.recordedAt.getTime() + 1000).toISOString())}`);
    expect(answer.body).toMatchObject({ from: { asOf: paidAt.toISOString(), version: 2 }, to: { version: 3 } });
    expect((answer.body.changes as Array<{ field: string }>).map((change) => change.field)).toEqual(['status', 'shippedAt']);
  });

  it('diffs from before the order existed to now without from and to: everything set, by the event that set it', async () => {
    const answer = await diff('');
    expect(openApiSchemaProblems('AuditOrderDiff', answer.body)).toEqual([]);
    expect(answer.body).toMatchObject({ from: { asOf: '0', version: 0, recordedAt: null }, to: { version: 3 } });
    const changes = answer.body.changes as Array<{ field: string; event: { streamVersion: number } }>;
    expect(changes.map((change) => [change.field, change.event.streamVersion])).toEqual([
      ['id', 1],
      ['customerId', 1],
      ['status', 3],
      ['lines', 1],
      ['currency', 1],
      ['totalCents', 1],
      ['shippingAddress', 1],
      ['placedAt', 1],
      ['paymentMethod', 2],
      ['paidAt', 2],
      ['shippedAt', 3],
    ]);
  });

  it('answers 404 order_not_found for an unknown order and for a `to` before the order existed', async () => {
    expect((await diff('', 'auditor', randomUUID())).body).toMatchObject({ status: 404, code: 'order_not_found' });
    const before = new Date(stored[0]!.recordedAt.getTime() - 1).toISOString();
    expect((await diff(`?to=${before}`)).body).toMatchObject({ status: 404, code: 'order_not_found' });
  });

  it.each([
    ['`from` after `to`', '?from=3&to=1', 'invalid_range'],
    ['a `from` that is neither time nor version', '?from=yesterday', 'validation_failed'],
    ['a `to` of version 0', '?to=0', 'validation_failed'],
    ['a time without a zone', '?to=2025-06-01T10:00:00', 'validation_failed'],
    ['an unknown parameter', '?asOf=1', 'validation_failed'],
    ['a repeated parameter', '?to=1&to=2', 'validation_failed'],
  ])('answers 400 problem+json for %s', async (_what, query, code) => {
    const answer = await diff(query);
    expect({ status: answer.status, contentType: answer.contentType, code: answer.body.code }).toEqual({
      status: 400,
      contentType: 'application/problem+json; charset=utf-8',
      code,
    });
  });

  it('answers 400 for an id that is not a UUID, 401 without a token, 403 to other roles', async () => {
    expect((await diff('', 'auditor', 'not-a-uuid')).status).toBe(400);
    expect((await diff('', null)).status).toBe(401);
    for (const role of ['shopper', 'admin', 'analyst'] as const) expect({ role, status: (await diff('', role)).status }).toEqual({ role, status: 403 });
  });
});
