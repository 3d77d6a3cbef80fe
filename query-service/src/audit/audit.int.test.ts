import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { orderStreamId } from '@shop/domain';
import type { Role } from '@shop/service-kit';
import { openApiSchemaProblems } from '@shop/testing';
import { newEvent, TEST_METADATA } from '../testing/new-event.js';
import { appendOrderStory, orderPlaced } from '../testing/order-story.js';
import { serveAudit, TEST_TOKENS, type RunningQueryApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('audit API (real Postgres, over HTTP)', () => {
  let database: TestDatabase;
  let app: RunningQueryApp;
  const orderId = randomUUID();
  const productStream = `product-${randomUUID()}`;
  /** recordedAt of the order's versions 1 (placed), 2 (paid), 3 (cancelled). */
  let recorded: Date[];

  const tokenFor = (role: Role): Promise<string> => TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role });
  /** `role` null: no token at all. */
  async function get(path: string, role: Role | null = 'auditor', headers: Record<string, string> = {}): Promise<Answer> {
    const authorization: Record<string, string> = role ? { authorization: `Bearer ${await tokenFor(role)}` } : {};
    const response = await fetch(`${app.base}${path}`, { headers: { ...authorization, ...headers } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }
  const storeHeadNow = async (): Promise<bigint> =>
    BigInt((await database.pool.query<{ p: string }>('SELECT COALESCE(max(global_position), 0)::text AS p FROM events')).rows[0]!.p);

  beforeAll(async () => {
    database = await startTestDatabase({ poolSize: 10 });
    const order = await appendOrderStory(database.store, orderPlaced(orderId, new Date().toISOString()), [
      (now) => ({ type: 'PayOrder', data: { orderId, method: 'card', paidAt: now } }),
      (now) => ({ type: 'CancelOrder', data: { orderId, reason: 'changed my mind', cancelledAt: now } }),
    ]);
    recorded = order.map((event) => event.recordedAt);
    for (let n = 1; n <= 5; n++) await database.store.appendToStream(productStream, 'any', [newEvent({ type: 'StockReceived', data: { n } })]);
    app = await serveAudit(database, { store: database.store });
  });

  afterAll(async () => {
    await app.stop();
    await database.stop();
  });

  describe('who may read', () => {
    const routes = () => [
      `/api/audit/streams/${productStream}`,
      '/api/audit/events',
      `/api/audit/orders/${orderId}`,
      '/api/audit/verify',
    ];

    it('answers 401 unauthenticated with WWW-Authenticate to a caller without a valid token', async () => {
      for (const path of routes()) {
        const anonymous = await get(path, null);
        expect({ path, status: anonymous.status, code: anonymous.body.code, challenge: anonymous.headers.get('www-authenticate') }).toEqual({
          path,
          status: 401,
          code: 'unauthenticated',
          challenge: 'Bearer',
        });
        const forged = await get(path, null, { authorization: 'Bearer not.a.token' });
        expect({ path, status: forged.status }).toEqual({ path, status: 401 });
      }
    });

    it.each(['shopper', 'admin', 'analyst'] as const)('answers 403 forbidden to the %s role on every audit route', async (role) => {
      for (const path of routes()) {
        const answer = await get(path, role);
        expect({ path, status: answer.status, code: answer.body.code }).toEqual({ path, status: 403, code: 'forbidden' });
      }
    });

    it('answers 200 to an auditor on every audit route, with the store head as Read-Model-Position', async () => {
      const position = (await storeHeadNow()).toString();
      for (const path of routes()) {
        const answer = await get(path, 'auditor');
        expect({ path, status: answer.status, position: answer.headers.get('read-model-position') }).toEqual({ path, status: 200, position });
      }
    });
  });

  describe('GET /api/audit/streams/:stream', () => {
    it('pages a stream in version order with envelopes and hashes, as documented, without gaps', async () => {
      const seen: Array<Record<string, unknown>> = [];
      let after = '0';
      for (;;) {
        const page = await get(`/api/audit/streams/${productStream}?after=${after}&limit=2`);
        expect(page.status).toBe(200);
        expect(openApiSchemaProblems('AuditEventPage', page.body)).toEqual([]);
        seen.push(...(page.body.items as Array<Record<string, unknown>>));
        if (page.body.nextCursor === null) break;
        after = page.body.nextCursor as string;
      }
      expect(seen.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
      const stored = await database.store.readStream(productStream);
      expect(seen).toEqual(
        stored.map((e) => ({
          eventId: e.eventId,
          streamId: productStream,
          streamVersion: Number(e.streamVersion),
          globalPosition: e.globalPosition.toString(),
          type: 'StockReceived',
          schemaVersion: 1,
          data: e.data,
          metadata: TEST_METADATA,
          recordedAt: e.recordedAt.toISOString(),
          hash: e.hash,
        })),
      );
    });

    it('answers the last page with nextCursor null, and an empty page past the end of a stream that exists', async () => {
      expect((await get(`/api/audit/streams/${productStream}?after=4&limit=1`)).body).toMatchObject({ nextCursor: null });
      expect((await get(`/api/audit/streams/${productStream}?after=5`)).body).toEqual({ items: [], nextCursor: null });
    });

    it('answers 404 stream_not_found for a stream with no events, and for a soft-deleted one', async () => {
      expect((await get(`/api/audit/streams/product-${randomUUID()}`)).body).toMatchObject({ status: 404, code: 'stream_not_found' });
      const doomed = `customer-${randomUUID()}`;
      await database.store.appendToStream(doomed, 'no_stream', [newEvent({ type: 'CustomerRegistered', data: {} })]);
      await database.store.deleteStream(doomed, 1n);
      expect((await get(`/api/audit/streams/${doomed}`)).status).toBe(404);
    });

    it('reads SKU streams, whose ids are lower-cased SKUs rather than UUIDs', async () => {
      await database.store.appendToStream('sku-mug_1.blue', 'no_stream', [newEvent({ type: 'SkuClaimed', data: { sku: 'MUG_1.blue' } })]);
      expect((await get('/api/audit/streams/sku-mug_1.blue')).body).toMatchObject({ items: [{ streamId: 'sku-mug_1.blue', type: 'SkuClaimed' }] });
    });

    it.each([
      ['an upper-case stream id', `/api/audit/streams/Product-${randomUUID()}`],
      ['a stream id without a category', `/api/audit/streams/${randomUUID()}`],
      ['an unknown query parameter', `/api/audit/streams/${productStream}?from=1`],
      ['a negative after', `/api/audit/streams/${productStream}?after=-1`],
      ['a fractional after', `/api/audit/streams/${productStream}?after=1.5`],
      ['an after beyond int8', `/api/audit/streams/${productStream}?after=9223372036854775807`],
      ['a limit of 0', `/api/audit/streams/${productStream}?limit=0`],
      ['a limit above 1000', `/api/audit/streams/${productStream}?limit=1001`],
      ['a repeated parameter', `/api/audit/streams/${productStream}?limit=1&limit=2`],
    ])('answers 400 validation_failed for %s', async (_what, path) => {
      expect((await get(path)).body).toMatchObject({ status: 400, code: 'validation_failed' });
    });
  });

  describe('GET /api/audit/events', () => {
    it('pages the whole log in global order with no gap and no repeat', async () => {
      const positions: string[] = [];
      let after = '0';
      for (;;) {
        const page = await get(`/api/audit/events?after=${after}&limit=3`);
        expect(openApiSchemaProblems('AuditEventPage', page.body)).toEqual([]);
        positions.push(...(page.body.items as Array<{ globalPosition: string }>).map((e) => e.globalPosition));
        if (page.body.nextCursor === null) break;
        after = page.body.nextCursor as string;
      }
      const headNow = Number(await storeHeadNow());
      expect(positions).toEqual(Array.from({ length: headNow }, (_, i) => String(i + 1)));
    });

    it('answers events strictly after `after`, at most `limit` of them', async () => {
      const page = await get('/api/audit/events?after=2&limit=2');
      expect((page.body.items as Array<{ globalPosition: string }>).map((e) => e.globalPosition)).toEqual(['3', '4']);
      expect(page.body.nextCursor).toBe('4');
    });

    it.each([['after=abc'], ['after=-1'], ['limit=0'], ['cursor=3'], ['after=99999999999999999999']])('answers 400 for %s', async (query) => {
      expect((await get(`/api/audit/events?${query}`)).body).toMatchObject({ status: 400, code: 'validation_failed' });
    });
  });

  describe('GET /api/audit/orders/:id', () => {
    const order = async (asOf?: string): Promise<Answer> => get(`/api/audit/orders/${orderId}${asOf === undefined ? '' : `?asOf=${encodeURIComponent(asOf)}`}`);

    it('replays the order up to each version: placed, then paid, then cancelled', async () => {
      const [placed, paid, cancelled] = await Promise.all(['1', '2', '3'].map((v) => order(v)));
      for (const answer of [placed, paid, cancelled]) expect(openApiSchemaProblems('AuditOrder', answer!.body)).toEqual([]);
      expect(placed!.body).toMatchObject({
        asOf: '1',
        version: 1,
        recordedAt: recorded[0]!.toISOString(),
        order: { id: orderId, status: 'placed', totalCents: 2500, paymentMethod: null, paidAt: null, cancelledAt: null, version: 1 },
      });
      expect(paid!.body).toMatchObject({ version: 2, order: { status: 'paid', paymentMethod: 'card', paidAt: expect.any(String), cancelledAt: null } });
      expect(cancelled!.body).toMatchObject({
        version: 3,
        order: { status: 'cancelled', paymentMethod: 'card', cancelledAt: expect.any(String), cancellationReason: 'changed my mind', refundedAt: null },
      });
    });

    it('replays the order as it was at a time: each version from the moment it was recorded', async () => {
      const at = (date: Date, deltaMs = 0): string => new Date(date.getTime() + deltaMs).toISOString();
      expect((await order(at(recorded[1]!))).body).toMatchObject({ version: 2, asOf: at(recorded[1]!), order: { status: 'paid' } });
      expect((await order(at(recorded[1]!, -1))).body).toMatchObject({ version: 1, order: { status: 'placed' } });
      expect((await order(at(recorded[2]!, 5_000))).body).toMatchObject({ version: 3, order: { status: 'cancelled' } });
    });

    it('reads a time with a zone offset as the same instant', async () => {
      const utc = recorded[1]!;
      const berlin = new Date(utc.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      expect((await order(berlin)).body).toMatchObject({ version: 2, asOf: utc.toISOString() });
    });

    it('answers the order as it is now, with the time of the read, without asOf', async () => {
      const before = Date.now();
      const answer = await order();
      expect(answer.body).toMatchObject({ version: 3, order: { status: 'cancelled' } });
      expect(Date.parse(answer.body.asOf as string)).toBeGreaterThanOrEqual(before - 1);
    });

    it('answers 404 order_not_found before the order existed, and for an order that never did', async () => {
      expect((await order(new Date(recorded[0]!.getTime() - 1).toISOString())).body).toMatchObject({ status: 404, code: 'order_not_found' });
      expect((await get(`/api/audit/orders/${randomUUID()}`)).body).toMatchObject({ status: 404, code: 'order_not_found' });
    });

    it.each([
      ['version 0', '0'],
      ['a negative version', '-1'],
      ['words', 'yesterday'],
      ['a date without a time', '2024-06-01'],
      ['a time without a zone', '2024-06-01T12:00:00'],
      ['an impossible date', '2024-02-30T12:00:00Z'],
    ])('answers 400 validation_failed for asOf %s', async (_what, asOf) => {
      expect((await order(asOf)).body).toMatchObject({ status: 400, code: 'validation_failed' });
    });

    it('answers 400 for an id that is not a UUID and for an unknown query parameter', async () => {
      expect((await get('/api/audit/orders/not-a-uuid')).status).toBe(400);
      expect((await get(`/api/audit/orders/${orderId}?as_of=1`)).status).toBe(400);
    });
  });

  describe('Consistency-Token', () => {
    it('waits until the store head reaches the token, then answers with the new event', async () => {
      const before = await storeHeadNow();
      const pending = get(`/api/audit/events?after=${before}`, 'auditor', { 'consistency-token': String(before + 1n) });
      await pause(100);
      const { lastPosition } = await database.store.appendToStream(`product-${randomUUID()}`, 'no_stream', [newEvent({ type: 'ProductCreated', data: {} })]);
      const answer = await pending;
      expect(answer.status).toBe(200);
      expect(BigInt(answer.headers.get('read-model-position')!)).toBeGreaterThanOrEqual(lastPosition);
      expect((answer.body.items as Array<{ globalPosition: string }>).map((e) => e.globalPosition)).toEqual([lastPosition.toString()]);
    });

    it('answers 503 not_caught_up with Retry-After when the head does not reach the token in time, 400 for a malformed one', async () => {
      const late = await get('/api/audit/verify', 'auditor', { 'consistency-token': '999999999' });
      expect({ status: late.status, code: late.body.code, retry: late.headers.get('retry-after') }).toEqual({ status: 503, code: 'not_caught_up', retry: '1' });
      expect((await get('/api/audit/events', 'auditor', { 'consistency-token': 'soon' })).body).toMatchObject({ code: 'invalid_consistency_token' });
    });
  });

  describe('GET /api/audit/verify', () => {
    it('finds every chain intact, and answers an anchor that a later verification accepts', async () => {
      const clean = await get('/api/audit/verify');
      expect(openApiSchemaProblems('VerifyResult', clean.body)).toEqual([]);
      const headNow = await storeHeadNow();
      expect(clean.body).toMatchObject({ ok: true, eventsChecked: Number(headNow), throughPosition: headNow.toString(), brokenLinks: 0 });
      expect(clean.body.firstBroken).toBeUndefined();
      const anchor = clean.body.anchor as { position: string; digest: string };
      const again = await get(`/api/audit/verify?anchor=${anchor.position}:${anchor.digest}`);
      expect(again.body).toMatchObject({ ok: true, anchorCheck: { position: anchor.position, expected: anchor.digest, actual: anchor.digest, matches: true } });
    });

    it('names the first broken link of an edited event, with the recomputed and the stored hash', async () => {
      const [target] = await database.store.readStream(orderStreamId(orderId), { fromVersion: 2n, maxCount: 1 });
      await database.pool.query(`UPDATE events SET data = jsonb_set(data, '{method}', '"invoice"') WHERE event_id = $1`, [target!.eventId]);
      try {
        const verdict = await get('/api/audit/verify');
        expect(openApiSchemaProblems('VerifyResult', verdict.body)).toEqual([]);
        expect(verdict.body).toMatchObject({
          ok: false,
          brokenLinks: 1,
          firstBroken: {
            reason: 'hash_mismatch',
            streamId: orderStreamId(orderId),
            streamVersion: 2,
            globalPosition: target!.globalPosition.toString(),
            eventId: target!.eventId,
            actualHash: target!.hash,
            detail: expect.stringContaining('hash of version 1'),
          },
        });
        const link = verdict.body.firstBroken as { expectedHash: string; actualHash: string };
        expect(link.expectedHash).not.toBe(link.actualHash);
      } finally {
        await database.pool.query(`UPDATE events SET data = $2 WHERE event_id = $1`, [target!.eventId, JSON.stringify(target!.data)]);
      }
      expect((await get('/api/audit/verify')).body).toMatchObject({ ok: true });
    });

    it('answers 400 for a malformed anchor and for an unknown query parameter', async () => {
      expect((await get('/api/audit/verify?anchor=12:abc')).body).toMatchObject({ status: 400, code: 'validation_failed' });
      expect((await get('/api/audit/verify?full=1')).body).toMatchObject({ status: 400, code: 'validation_failed' });
    });
  });
});
