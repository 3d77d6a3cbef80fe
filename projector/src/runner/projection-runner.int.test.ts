import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { NatsConnection } from 'nats';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { connectNats, ensureEventStream, type EventBusNames, type PostgresEventStore } from '@shop/kernel';
import { cacheEntryValue, cacheMarkerValue, productCacheKey } from '@shop/read-models';
import { createLogger } from '@shop/service-kit';
import { startTestRedis, type TestRedis } from '@shop/testing';
import { createCacheInvalidator } from '../cache/cache-invalidator.js';
import { createProjectorMetrics } from '../metrics.js';
import { catalogProjection } from '../projections/catalog/catalog.projection.js';
import { ordersProjection } from '../projections/orders/orders.projection.js';
import { Relay } from '../relay/relay.js';
import type { Projection } from '../projections/projection.js';
import { eventually, startTestDatabaseAndBus, type TestDatabaseAndBus } from '../testing/infrastructure.js';
import { testRunner } from '../testing/runner.js';
import { redriveDeadLetters } from './redrive.js';

const logger = createLogger('test', 'silent');

const productCreated = (sku: string) => {
  const productId = randomUUID();
  return {
    productId,
    event: {
      eventId: randomUUID(),
      type: 'ProductCreated',
      schemaVersion: 1,
      data: { productId, sku, name: `Name ${sku}`, description: '', priceCents: 500, currency: 'EUR', initialStock: 3 },
      metadata: { correlationId: 'c', causationId: 'c', actor: { system: 'test' } },
    },
  };
};

describe('relay and catalog projection (real Postgres, NATS JetStream, Redis)', () => {
  let infrastructure: TestDatabaseAndBus;
  let cache: TestRedis;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let nats: NatsConnection;
  let redis: Redis;
  let names: EventBusNames;

  const checkpoint = async (): Promise<bigint> =>
    BigInt((await pool.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE projection = 'catalog'")).rows[0]?.position ?? 0);
  const newRunner = (projection: Projection = catalogProjection) => testRunner(pool, store, projection, { invalidate: createCacheInvalidator(redis, logger) });

  beforeAll(async () => {
    [infrastructure, cache] = await Promise.all([startTestDatabaseAndBus(), startTestRedis()]);
    const { bus } = infrastructure;
    ({ pool, store } = infrastructure);
    names = { streamName: `${bus.namespace}_EVENTS`, subjectPrefix: bus.namespace };
    nats = await connectNats(bus.url, 'test');
    await ensureEventStream(await nats.jetstreamManager(), names);
    redis = new Redis(cache.url);
  });

  afterAll(async () => {
    redis.disconnect();
    await nats.drain();
    await Promise.all([infrastructure.stop(), cache.stop()]);
  });

  it('carries appended events through the relay and JetStream into the catalog, invalidating the cache', async () => {
    const { productId, event } = productCreated('RELAY-1');
    await redis.set(productCacheKey(productId), cacheEntryValue({ position: 0n, etag: '0', scope: '', body: '{"stale":true}' }));
    const metrics = createProjectorMetrics(new Registry(), async () => ({}));
    const relay = new Relay({ pool, connectionString: infrastructure.url, store, js: nats.jetstream(), names, metrics, logger });
    const runner = newRunner();
    const running = [relay.run(), runner.runFromJetStream(nats.jetstream(), await nats.jetstreamManager(), names)];
    try {
      const { lastPosition } = await store.appendToStream(`product-${productId}`, 'no_stream', [event]);
      await eventually(async () => (await checkpoint()) >= lastPosition);
      const { rows } = await pool.query<{ sku: string; stock_available: number }>('SELECT sku, stock_available FROM catalog_products WHERE id = $1', [productId]);
      expect(rows).toEqual([{ sku: 'RELAY-1', stock_available: 3 }]);
      // The stale entry is replaced by a marker stamped with the committed position: a miss for every reader.
      expect(await redis.get(productCacheKey(productId))).toBe(cacheMarkerValue(lastPosition));
      await eventually(async () => relay.position >= lastPosition);
    } finally {
      relay.stop();
      runner.stop();
      await Promise.all(running);
    }
  });

  it('repairs from the store whatever the bus lost, and ignores duplicated and reordered deliveries', async () => {
    const runner = newRunner();
    await runner.loadCheckpoint();
    await runner.catchUpFromStore();
    const skus = ['GAP-1', 'GAP-2', 'GAP-3', 'GAP-4'];
    for (const sku of skus) {
      const { productId, event } = productCreated(sku);
      await store.appendToStream(`product-${productId}`, 'no_stream', [event]);
    }
    const appended = await store.readAll(runner.position, 10);
    expect(appended).toHaveLength(4);
    const [, second, , fourth] = appended;

    // The bus lost the 1st and 3rd events, delivered the 4th twice and before the 2nd.
    await runner.applyEvents([fourth!, second!, fourth!], 'bus');
    expect(await checkpoint()).toBe(fourth!.globalPosition);
    const rows = await pool.query<{ sku: string }>('SELECT sku FROM catalog_products WHERE sku = ANY($1) ORDER BY sku', [skus]);
    expect(rows.rows.map((r) => r.sku)).toEqual(skus);

    // A full redelivery changes nothing.
    await runner.applyEvents(appended, 'bus');
    expect(await checkpoint()).toBe(fourth!.globalPosition);
    expect((await pool.query('SELECT 1 FROM catalog_products WHERE sku = ANY($1)', [skus])).rowCount).toBe(4);
  });

  it('skips nothing when an append transaction is held open while others are submitted, through relay and JetStream', async () => {
    const metrics = createProjectorMetrics(new Registry(), async () => ({}));
    const relay = new Relay({ pool, connectionString: infrastructure.url, store, js: nats.jetstream(), names, metrics, logger, relayName: 'held-open' });
    const runner = newRunner();
    const running = [relay.run(), runner.runFromJetStream(nats.jetstream(), await nats.jetstreamManager(), names)];
    const slow = await pool.connect();
    try {
      // A slow writer: its append is done but not committed, holding the append lock.
      const held = productCreated('HELD-OPEN');
      await slow.query('BEGIN');
      await slow.query('SELECT * FROM append_batch($1)', [
        JSON.stringify([{ streams: [{ streamId: `product-${held.productId}`, expected: 'no_stream', events: [held.event] }] }]),
      ]);
      // Faster writers submit meanwhile; they must wait for it, never commit below it.
      const others = Array.from({ length: 5 }, (_, i) => productCreated(`HELD-AFTER-${i}`));
      let settled = 0;
      const appends = others.map(({ productId, event }) => store.appendToStream(`product-${productId}`, 'no_stream', [event]).finally(() => (settled += 1)));
      // Commit only once another backend is really waiting on the held transaction: on a slow machine the appends may
      // take any time to reach the server, and committing before they do would test nothing.
      const heldBy = (await slow.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await eventually(async () => (await pool.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))', [heldBy])).rowCount! > 0);
      expect(settled).toBe(0);
      await slow.query('COMMIT');
      const results = await Promise.all(appends);
      const last = results.reduce((max, r) => (r.lastPosition > max ? r.lastPosition : max), 0n);
      await eventually(async () => (await checkpoint()) >= last);
      const ids = [held, ...others].map((p) => p.productId);
      expect((await pool.query('SELECT 1 FROM catalog_products WHERE id = ANY($1)', [ids])).rowCount).toBe(6);
      // The held append got the lower position: it committed first, so nothing committed below a reader's position later.
      const { rows } = await pool.query<{ stream_id: string; global_position: string }>(
        'SELECT stream_id, global_position FROM events WHERE stream_id = ANY($1) ORDER BY global_position',
        [ids.map((id) => `product-${id}`)],
      );
      expect(rows[0]!.stream_id).toBe(`product-${held.productId}`);
    } finally {
      slow.release();
      relay.stop();
      runner.stop();
      await Promise.all(running);
    }
  });

  it('moves past events of no concern without a transaction each, and writes the checkpoint soon after or with the next batch it applies', async () => {
    const orders = newRunner(ordersProjection);
    await orders.loadCheckpoint();
    await orders.catchUpFromStore();
    const row = async (): Promise<bigint> =>
      BigInt((await pool.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE projection = 'orders'")).rows[0]?.position ?? 0);
    const start = await row();
    const products = [productCreated('NOCONCERN-1'), productCreated('NOCONCERN-2')];
    for (const { productId, event } of products) await store.appendToStream(`product-${productId}`, 'no_stream', [event]);
    const appended = await store.readAll(start, 10);
    // Product events only: the in-memory checkpoint moves at once, the row not yet...
    await orders.applyEvents(appended, 'bus');
    expect(orders.position).toBe(appended.at(-1)!.globalPosition);
    expect(await row()).toBe(start);
    // ...until the flush, which a little later writes it.
    await new Promise((resolve) => setTimeout(resolve, 80));
    await orders.flushPending();
    expect(await row()).toBe(appended.at(-1)!.globalPosition);

    // Skipped events followed by one that concerns it: one transaction writes the checkpoint past all of them.
    const { productId, event } = productCreated('NOCONCERN-3');
    await store.appendToStream(`product-${productId}`, 'no_stream', [event]);
    const customerId = randomUUID();
    await store.appendToStream(`customer-${customerId}`, 'no_stream', [
      { eventId: randomUUID(), type: 'CustomerForgotten', schemaVersion: 1, data: { customerId, forgottenAt: new Date().toISOString() }, metadata: { correlationId: 'c', causationId: 'c', actor: { system: 'test' } } },
    ]);
    const [skipped, concerning] = await store.readAll(orders.position, 10);
    await orders.applyEvents([skipped!], 'bus');
    await orders.applyEvents([concerning!], 'bus');
    expect(await row()).toBe(concerning!.globalPosition);
  });

  it('follows the store directly when there is no bus', async () => {
    const runner = newRunner();
    const running = runner.runFromStore();
    try {
      const { productId, event } = productCreated('STORE-FEED-1');
      const { lastPosition } = await store.appendToStream(`product-${productId}`, 'no_stream', [event]);
      await eventually(async () => (await checkpoint()) >= lastPosition);
      expect((await pool.query('SELECT 1 FROM catalog_products WHERE id = $1', [productId])).rowCount).toBe(1);
    } finally {
      runner.stop();
      await running;
    }
  });

  it('dead-letters an event that keeps failing, parks the rest of its stream, goes on with others, and redrives after a fix', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS poison_seen (projection text, position bigint, PRIMARY KEY (projection, position))');
    let broken = true;
    const projection: Projection = {
      name: `poison-${randomUUID().slice(0, 8)}`,
      async apply(tx, event) {
        if (!event.streamId.startsWith('poison-test-')) return [];
        if (broken && event.type === 'Indigestible') throw new Error('cannot digest');
        await tx.query('INSERT INTO poison_seen (projection, position) VALUES ($1, $2)', [projection.name, event.globalPosition.toString()]);
        return [];
      },
    };
    const runner = newRunner(projection);
    await runner.loadCheckpoint();
    const meta = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };
    const event = (type: string) => ({ eventId: randomUUID(), type, schemaVersion: 1, data: {}, metadata: meta });
    const [sick, healthy] = [`poison-test-${randomUUID()}`, `poison-test-${randomUUID()}`];
    const sickFirst = await store.appendToStream(sick, 'no_stream', [event('Indigestible')]);
    const healthyFirst = await store.appendToStream(healthy, 'no_stream', [event('Fine')]);
    const sickSecond = await store.appendToStream(sick, 1n, [event('Fine')]);
    const healthySecond = await store.appendToStream(healthy, 1n, [event('Fine')]);

    // Three rounds, as the runner's loop would make them: the first two fail and retry, the third dead-letters.
    for (let round = 1; round <= 3; round++) {
      await runner.catchUpFromStore().catch(() => undefined);
    }
    const seen = async () =>
      (await pool.query<{ position: string }>('SELECT position FROM poison_seen WHERE projection = $1 ORDER BY position', [projection.name])).rows.map((r) => BigInt(r.position));
    const letters = async () =>
      (await pool.query<{ global_position: string; attempts: number }>('SELECT global_position, attempts FROM projection_dead_letters WHERE projection = $1 ORDER BY global_position', [projection.name])).rows.map((r) => [BigInt(r.global_position), r.attempts]);

    expect(await seen()).toEqual([healthyFirst.lastPosition, healthySecond.lastPosition]);
    expect(await letters()).toEqual([[sickFirst.lastPosition, 3], [sickSecond.lastPosition, 0]]);
    expect(runner.position).toBe(healthySecond.lastPosition);

    broken = false;
    const result = await redriveDeadLetters(pool, store, projection, async () => undefined, () => undefined);
    expect(result).toEqual({ redriven: 2 });
    expect(await seen()).toEqual([sickFirst.lastPosition, healthyFirst.lastPosition, sickSecond.lastPosition, healthySecond.lastPosition]);
    expect(await letters()).toEqual([]);
  });
});
