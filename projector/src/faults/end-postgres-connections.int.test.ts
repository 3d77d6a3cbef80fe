import { describe, expect, it } from '@jest/globals';
import { catalogAndOracle, ProductWriter, projectorUnderTest, waitForCatalog } from '../testing/fault-harness.js';

const PRODUCTS = 50;
const EVENTS = 2_000;
const CUTS = 6;

/**
 * Postgres ends every connection of the projector (its pool, the relay's leader lock, its LISTEN) while it starts
 * and again and again while events are appended, as a restart or a failover does: the same projector process rides
 * it out (nothing crashes on an idle connection's error, no projection gives up at start) and the catalog ends equal
 * to the oracle folded from the store.
 */
describe('the projector when Postgres ends its connections under load', () => {
  const projector = projectorUnderTest({ poolSize: 10 });

  /** pg_terminate_backend on every connection of the projector process (not the test's own). */
  const endProjectorConnections = async (): Promise<number> => {
    const { rows } = await projector.pool.query<{ n: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND (application_name IN ('projector', 'relay-leader') OR application_name LIKE 'listen:%')`,
    );
    return rows[0]!.n;
  };

  /** Ends the projector's connections as soon as it has any (right after a cut it may still be reconnecting). */
  const endSomeProjectorConnections = async (): Promise<boolean> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await endProjectorConnections()) > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  };

  it('keeps running and ends with a catalog equal to the oracle', async () => {
    const { pool, store } = projector;
    const writer = new ProductWriter(store);
    await projector.restart();
    // At once, too: while the projector starts (reading its checkpoints, taking the relay's lock).
    expect(await endSomeProjectorConnections()).toBe(true);
    const productIds = await writer.createProducts(PRODUCTS);
    const cutEvery = Math.floor((EVENTS - PRODUCTS) / CUTS);
    let cuts = 0;
    for (let n = 0; n < EVENTS - PRODUCTS; n++) {
      await writer.append(...writer.workloadEvent(productIds, n));
      if (n % cutEvery === cutEvery - 1) cuts += (await endSomeProjectorConnections()) ? 1 : 0;
    }
    expect(cuts).toBe(CUTS);
    // The same process, still running (an unheard connection error would have ended it by now).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect({ exitCode: projector.process!.exitCode, signal: projector.process!.signalCode }).toEqual({ exitCode: null, signal: null });
    await waitForCatalog(pool, 90_000);
    const { actual, expected } = await catalogAndOracle(pool, store, writer.versions);
    expect(actual).toEqual(expected);
  }, 180_000);
});
