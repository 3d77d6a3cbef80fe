import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import { decideOrder, evolveOrder, initialOrderState, orderStreamId, type OrderPlaced } from '@shop/domain';
import { applySchema, createPool, PostgresEventStore, type NewEvent } from '@shop/kernel';
import type { Role } from '@shop/service-kit';
import { describeRequest, fuzzableOperations, hostileHeaderValue, requestArbitrary, sendRaw, startTestPostgres, type TestPostgres } from '@shop/testing';
import { SERVED_PROJECTIONS } from '../app.js';
import { StoreHead } from '../audit/store-head.js';
import { ProjectionPositions } from '../read-your-writes/position-tracker.js';
import { serveQueryApp, TEST_TOKENS, testQueryDeps } from '../testing/query-test-app.js';

/** Fixed, so a failure here is a failure everywhere (fast-check prints the path to replay it). */
const SEED = 14_2026;
const RUNS_PER_OPERATION = 40;
const SLOWEST_ANSWER_MS = 2_000;

/**
 * Every query-service operation of docs/openapi.json, fuzzed with plausible and hostile requests against the real
 * service on a real Postgres holding a real order history: no answer is a 5xx, none takes 2 s, and the event store
 * is never touched.
 */
describe('query-service under fuzzed requests (docs/openapi.json, real Postgres)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let head: StoreHead;
  let server: Server;
  let base: string;
  let context: Parameters<typeof requestArbitrary>[1];
  const orderId = randomUUID();
  const customerId = randomUUID();

  const storeHead = async (): Promise<string> =>
    (await pool.query<{ head: string }>("SELECT count(*) || '@' || COALESCE(max(global_position), 0) AS head FROM events")).rows[0]!.head;

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url, { max: 10 });
    await applySchema(pool);
    const store = new PostgresEventStore(pool);
    const metadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: { userId: randomUUID(), role: 'shopper' } };
    const toNew = (event: { type: string; data: Record<string, unknown> }): NewEvent => ({ eventId: randomUUID(), type: event.type, schemaVersion: 1, data: event.data, metadata });
    const placed: OrderPlaced = {
      type: 'OrderPlaced',
      data: {
        orderId,
        customerId,
        lines: [{ productId: randomUUID(), sku: 'FUZZ-1', name: 'Fuzzed mug', quantity: 1, unitPriceCents: 990, lineTotalCents: 990 }],
        currency: 'EUR',
        totalCents: 990,
        shippingAddress: { line1: '1 Fuzz Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' },
        placedAt: new Date().toISOString(),
      },
    };
    await store.appendToStream(orderStreamId(orderId), 'no_stream', [toNew(placed)]);
    const paid = decideOrder({ type: 'PayOrder', data: { orderId, method: 'card', paidAt: new Date().toISOString() } }, evolveOrder(initialOrderState, placed));
    await store.appendToStream(orderStreamId(orderId), 1n, paid.map(toNew));
    head = new StoreHead(pool);
    await head.start(database.url);
    ({ server, base } = await serveQueryApp(testQueryDeps(pool, new ProjectionPositions(pool, SERVED_PROJECTIONS), { audit: { store, head: head.tracker } })));

    const tokenOf = (role: Role) => TEST_TOKENS.issue(pool, { userId: randomUUID(), role, ...(role === 'shopper' ? { customerId } : {}) });
    // No projection runs here: every read model stands at 0, so 0 is the only Consistency-Token served at once.
    const readModels = 0n;
    context = {
      ids: [orderId, customerId, orderStreamId(orderId), `customer-${customerId}`, 'sku-fuzz-1'],
      tokens: { admin: await tokenOf('admin'), shopper: await tokenOf('shopper'), auditor: await tokenOf('auditor'), analyst: await tokenOf('analyst') },
      headers: {
        // A Consistency-Token ahead of the read models waits and then answers 503 not_caught_up, as documented (and
        // tested in read-your-writes/): valid tokens here are the read models' position, hostile ones anything else.
        'consistency-token': fc.oneof(
          fc.constant(readModels.toString()),
          hostileHeaderValue.filter((value) => !/^[0-9]{1,19}$/.test(value) || BigInt(value) <= readModels),
        ),
      },
    };
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await head?.stop();
    await pool?.end();
    await database?.stop();
  });

  const operations = fuzzableOperations('query-service');

  it('finds the query operations in docs/openapi.json', () => {
    expect(operations.map((o) => o.label)).toEqual(expect.arrayContaining(['GET /api/products', 'GET /api/orders/{id}', 'GET /api/audit/streams/{stream}', 'GET /api/analytics/sales']));
  });

  it.each(operations.map((o) => [o.label, o] as const))('%s: no 5xx, no answer slower than 2 s, the store untouched', async (_label, operation) => {
    const before = await storeHead();
    await fc.assert(
      fc.asyncProperty(requestArbitrary(operation, context), async (built) => {
        let answer = await sendRaw(base, built);
        if (answer.elapsedMs >= SLOWEST_ANSWER_MS && (built.method === 'GET' || answer.status >= 400)) {
          // A stall of a loaded machine (scheduler, GC) is not the service being slow: a slow answer that wrote
          // nothing is asked for again, and only an answer slow twice fails. Slowness by design repeats.
          answer = await sendRaw(base, built);
        }
        if (process.env.FUZZ_DEBUG) process.stdout.write(`${operation.label} ${answer.status} ${answer.body.slice(0, 90)}\n`);
        const seen = `${answer.status} in ${Math.round(answer.elapsedMs)} ms for ${describeRequest(built)}: ${answer.body.slice(0, 300)}`;
        expect({ serverError: answer.status >= 500, seen }).toEqual({ serverError: false, seen });
        expect({ slow: answer.elapsedMs >= SLOWEST_ANSWER_MS, seen }).toEqual({ slow: false, seen });
        if (answer.status >= 400 && answer.body.length > 0) {
          expect({ contentType: answer.contentType, seen }).toEqual({ contentType: expect.stringContaining('application/problem+json'), seen });
        }
      }),
      { numRuns: RUNS_PER_OPERATION, seed: SEED },
    );
    expect(await storeHead()).toBe(before);
  }, 60_000);
});
