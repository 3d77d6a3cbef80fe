import { describe, expect, it } from '@jest/globals';
import { catalogAndOracle, ProductWriter, projectorUnderTest, waitForCatalog } from '../testing/fault-harness.js';

const PRODUCTS = 100;
const EVENTS = 3_000;
const KILLS = 8;

/**
 * kill -9 the projector (relay and catalog projection in one process) again and again while 3,000 events are
 * appended; after the last restart the catalog must equal an oracle folded straight from the store with the
 * domain's own evolveProduct. Real Postgres, real NATS JetStream, the real projector process.
 */
describe('the projector killed with SIGKILL mid-stream', () => {
  const projector = projectorUnderTest({ poolSize: 10 });

  it('ends with a catalog equal to the oracle, every event applied exactly once', async () => {
    const { pool, store } = projector;
    const writer = new ProductWriter(store);
    await projector.restart();
    const productIds = await writer.createProducts(PRODUCTS);
    const killEvery = Math.floor((EVENTS - PRODUCTS) / KILLS);
    for (let n = 0; n < EVENTS - PRODUCTS; n++) {
      await writer.append(...writer.workloadEvent(productIds, n));
      if (n % killEvery === killEvery - 1) {
        // At a random moment within the next few milliseconds: mid-batch, mid-publish, or idle.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20)));
        await projector.restart();
      }
    }
    await waitForCatalog(pool);
    const { actual, expected } = await catalogAndOracle(pool, store, writer.versions);
    expect(actual).toEqual(expected);
  }, 180_000);
});
