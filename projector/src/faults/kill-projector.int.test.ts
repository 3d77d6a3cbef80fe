import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { PostgresEventStore } from '@shop/kernel';
import type { TestNats } from '@shop/testing';
import { startTestDatabaseAndBus, type TestDatabaseAndBus } from '../testing/infrastructure.js';
import { catalogAndOracle, freePort, killHard, ProductWriter, projectorEnv, startProjector, waitForCatalog } from './fault-harness.js';

const PRODUCTS = 100;
const EVENTS = 3_000;
const KILLS = 8;

/**
 * kill -9 the projector (relay and catalog projection in one process) again and again while 3,000 events are
 * appended; after the last restart the catalog must equal an oracle folded straight from the store with the
 * domain's own evolveProduct. Real Postgres, real NATS JetStream, the real projector process.
 */
describe('the projector killed with SIGKILL mid-stream', () => {
  let infrastructure: TestDatabaseAndBus;
  let bus: TestNats;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let projector: ChildProcess | undefined;

  beforeAll(async () => {
    infrastructure = await startTestDatabaseAndBus({ poolSize: 10 });
    ({ pool, store, bus } = infrastructure);
  }, 60_000);

  afterAll(async () => {
    await killHard(projector);
    await infrastructure.stop();
  });

  it('ends with a catalog equal to the oracle, every event applied exactly once', async () => {
    const env = projectorEnv(infrastructure.url, bus, await freePort());
    const writer = new ProductWriter(store);
    projector = startProjector(env);
    const productIds = await writer.createProducts(PRODUCTS);
    const killEvery = Math.floor((EVENTS - PRODUCTS) / KILLS);
    for (let n = 0; n < EVENTS - PRODUCTS; n++) {
      await writer.append(...writer.workloadEvent(productIds, n));
      if (n % killEvery === killEvery - 1) {
        // At a random moment within the next few milliseconds: mid-batch, mid-publish, or idle.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20)));
        await killHard(projector);
        projector = startProjector(env);
      }
    }
    await waitForCatalog(pool);
    const { actual, expected } = await catalogAndOracle(pool, store, writer.versions);
    expect(actual).toEqual(expected);
  }, 180_000);
});
