import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { PostgresEventStore } from '@shop/kernel';
import { ANALYTICS_PROJECTION } from '@shop/read-models';
import { elasticsearchErrorAnswer, mockElasticsearch, type MockedRequest } from '@shop/testing';
import type { ProjectionRunner } from '../../runner/projection-runner.js';
import { startTestDatabase, type TestDatabase } from '../../testing/infrastructure.js';
import { loadedTestRunner } from '../../testing/runner.js';
import { SinkUnavailable } from '../projection.js';
import { OrderHistoryWriter } from '../../testing/order-history.js';
import { salesProjection } from '../sales/sales.projection.js';
import { analyticsProjection } from './analytics.projection.js';
import { SalesIndexWriter } from './sales-index-writer.js';

type IndexAction = { index: { _index: string; _id: string; version: number; version_type: string } };

/**
 * Elastic's mock behind the real client, answering bulks the way a cluster does with external versions: a
 * document at a version not above the stored one is refused with 409, anything else is stored. `refuse` and
 * `down` inject the failures a test needs.
 */
function fakeCluster() {
  const { mock, client } = mockElasticsearch();
  const documents = new Map<string, { version: number; source: Record<string, unknown> }>();
  const state = { down: false, refuse: (_source: Record<string, unknown>) => false, bulks: 0 };
  mock.add({ method: 'POST', path: '/_bulk' }, (params) => {
    state.bulks += 1;
    if (state.down) return elasticsearchErrorAnswer(503);
    const body = (params as MockedRequest).body as Array<Record<string, unknown>>;
    const items = [];
    for (let i = 0; i < body.length; i += 2) {
      const { index: action } = body[i] as IndexAction;
      const source = body[i + 1]!;
      const stored = documents.get(action._id);
      if (state.refuse(source)) {
        items.push({ index: { _index: action._index, _id: action._id, status: 400, error: { type: 'document_parsing_exception', reason: 'refused by the test' } } });
      } else if (stored && stored.version >= action.version) {
        items.push({ index: { _index: action._index, _id: action._id, status: 409, error: { type: 'version_conflict_engine_exception', reason: 'version conflict' } } });
      } else {
        documents.set(action._id, { version: action.version, source });
        items.push({ index: { _index: action._index, _id: action._id, status: 201, result: 'created' } });
      }
    }
    return { took: 1, errors: items.some((item) => item.index.status >= 300), items };
  });
  return { client, documents, state };
}

describe('analytics projection: the runner, real Postgres, and Elastic\'s mock as the cluster', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let cluster: ReturnType<typeof fakeCluster>;
  let head: bigint;
  let expectedDocuments: Map<string, Record<string, unknown>>;

  const newRunner = async (): Promise<ProjectionRunner> => {
    const writer = new SalesIndexWriter(cluster.client, 'shop-sales', { maxDocuments: 50, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, async () => undefined);
    return loadedTestRunner(pool, store, analyticsProjection(writer));
  };
  const checkpoint = async (): Promise<bigint> =>
    BigInt((await pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projection = $1', [ANALYTICS_PROJECTION])).rows[0]?.position ?? 0);
  const deadLetters = async (): Promise<string[]> =>
    (await pool.query<{ global_position: string }>('SELECT global_position FROM projection_dead_letters WHERE projection = $1 ORDER BY 1', [ANALYTICS_PROJECTION])).rows.map(
      (r) => r.global_position,
    );
  const indexed = (): Map<string, Record<string, unknown>> => new Map([...cluster.documents].map(([id, doc]) => [id, doc.source]));

  beforeAll(async () => {
    database = await startTestDatabase();
    ({ pool, store } = database);
    const history = new OrderHistoryWriter(store, 42);
    await history.writeOrders(await history.createProducts(['EUR', 'EUR', 'USD']), 40);
    head = (await store.readAll(0n, 100_000)).at(-1)!.globalPosition;
    // What Elasticsearch must end up holding: exactly the SQL projection's facts, as documents.
    const sales = await loadedTestRunner(pool, store, salesProjection);
    await sales.catchUpFromStore();
    const { rows } = await pool.query<Record<string, unknown> & { event_id: string; line_no: number; at: Date; position: string }>('SELECT * FROM sales_facts');
    expectedDocuments = new Map(
      rows.map((r) => [
        `${r.event_id}:${r.line_no}`,
        {
          orderId: r.order_id, eventId: r.event_id, lineNo: r.line_no, kind: r.kind, at: r.at.toISOString(), position: Number(r.position), currency: r.currency,
          productId: r.product_id, sku: r.sku, name: r.name, sign: r.sign, orderDelta: r.order_delta, units: r.units, revenueCents: Number(r.revenue_cents),
        },
      ]),
    );
  }, 60_000);

  beforeEach(async () => {
    cluster = fakeCluster();
    await pool.query('TRUNCATE analytics_orders');
    await pool.query('DELETE FROM projection_dead_letters WHERE projection = $1', [ANALYTICS_PROJECTION]);
    await pool.query('DELETE FROM projection_checkpoints WHERE projection = $1', [ANALYTICS_PROJECTION]);
  });

  afterAll(() => database.stop());

  it('indexes exactly the SQL projection\'s facts, and a replay from position 0 is all 409s that change nothing', async () => {
    const runner = await newRunner();
    await runner.catchUpFromStore();
    expect(await checkpoint()).toBe(head);
    expect(indexed()).toEqual(expectedDocuments);

    // A crash after the bulks but before the checkpoint commits looks like this: the checkpoint is behind what ES holds.
    await pool.query('UPDATE projection_checkpoints SET position = 0 WHERE projection = $1', [ANALYTICS_PROJECTION]);
    await pool.query('TRUNCATE analytics_orders');
    const replay = await newRunner();
    await replay.catchUpFromStore();
    expect(await checkpoint()).toBe(head);
    expect(indexed()).toEqual(expectedDocuments);
    expect(await deadLetters()).toEqual([]);
  });

  it('dead-letters the event whose document Elasticsearch refuses (after 3 tries), parks its stream, and indexes all the rest', async () => {
    const [victim] = [...expectedDocuments.values()].filter((doc) => doc.kind === 'payment');
    cluster.state.refuse = (source) => source.eventId === victim!.eventId;
    const runner = await newRunner();
    for (let round = 1; round <= 3; round++) await runner.catchUpFromStore().catch(() => undefined);
    expect(await checkpoint()).toBe(head);
    const letters = await deadLetters();
    expect(letters[0]).toBe(String(victim!.position));
    const parked = new Set(letters.map(BigInt));
    // Everything not parked is in the index; nothing of the parked events is.
    const notParked = [...expectedDocuments].filter(([, doc]) => !parked.has(BigInt(doc.position as number)));
    expect(indexed()).toEqual(new Map(notParked));
  });

  it('while Elasticsearch is down, retries without dead-lettering and keeps the checkpoint; when it is back, the batch goes through', async () => {
    cluster.state.down = true;
    const runner = await newRunner();
    for (let round = 1; round <= 5; round++) await expect(runner.catchUpFromStore()).rejects.toThrow(SinkUnavailable);
    expect(await checkpoint()).toBe(0n);
    expect(await deadLetters()).toEqual([]);
    expect(cluster.state.bulks).toBe(5 * 3);

    cluster.state.down = false;
    await runner.catchUpFromStore();
    expect(await checkpoint()).toBe(head);
    expect(indexed()).toEqual(expectedDocuments);
  });
});
