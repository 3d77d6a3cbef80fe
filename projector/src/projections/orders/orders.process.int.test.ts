import { beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'nats';
import { inTransaction } from '@shop/kernel';
import { projectorUnderTest } from '../../testing/fault-harness.js';
import { loadedTestRunner } from '../../testing/runner.js';
import { customersProjectionInto } from '../customers/customers.projection.js';
import { driveOrderLifecycles } from '../../testing/order-lifecycle.workload.js';
import { ordersProjectionInto } from './orders.projection.js';

/**
 * The projector process (dist/main.js, as deployed) runs the orders and customers projections beside the catalog,
 * each as its own durable JetStream consumer, and reports every projection's lag.
 */
describe('the projector process runs the orders and customers projections (real Postgres and NATS)', () => {
  const projector = projectorUnderTest();
  beforeAll(() => projector.restart());

  const checkpoints = async (): Promise<Record<string, bigint>> =>
    Object.fromEntries(
      (await projector.pool.query<{ projection: string; position: string }>('SELECT projection, position FROM projection_checkpoints')).rows.map((r) => [r.projection, BigInt(r.position)]),
    );
  const waitForProjections = async (names: string[], head: bigint): Promise<void> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const reached = await checkpoints();
      if (names.every((name) => (reached[name] ?? 0n) >= head)) return;
      if (Date.now() > deadline) throw new Error(`projections did not reach ${head}: ${JSON.stringify(reached, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('projects what the store holds into orders and customers exactly as a direct pass over the store does', async () => {
    const { pool, store } = projector;
    await driveOrderLifecycles(store, { orders: 60, customers: 8, products: 4, seed: 99 });
    const head = (await store.readAll(0n, 100_000)).at(-1)!.globalPosition;
    await waitForProjections(['catalog', 'orders', 'customers'], head);

    // The oracle of this test: the same projections applied directly, one clean pass, into tables of their own.
    for (const name of ['orders', 'orders_forgotten_customers', 'customers']) await pool.query(`CREATE TABLE ${name}_direct (LIKE ${name} INCLUDING ALL)`);
    for (const projection of [
      ordersProjectionInto({ orders: 'orders_direct', forgottenCustomers: 'orders_forgotten_customers_direct' }),
      customersProjectionInto('customers_direct'),
    ]) {
      // A checkpoint of its own, beside the live projection's.
      const direct = await loadedTestRunner(pool, store, { ...projection, name: `${projection.name}_direct` });
      await direct.catchUpFromStore();
    }
    const table = async (name: string): Promise<unknown[]> => inTransaction(pool, async (tx) => (await tx.query<Record<string, unknown>>(`SELECT * FROM ${name} ORDER BY 1`)).rows);
    for (const name of ['orders', 'orders_forgotten_customers', 'customers']) expect(await table(name)).toEqual(await table(`${name}_direct`));
    expect((await table('orders')).length).toBe(60);
  }, 120_000);

  it('feeds each projection from a durable JetStream consumer of its own', async () => {
    const { bus } = projector;
    const nats = await connect({ servers: bus.url });
    try {
      const jsm = await nats.jetstreamManager();
      const durables: string[] = [];
      for await (const consumer of jsm.consumers.list(`${bus.namespace}_EVENTS`)) durables.push(consumer.name);
      expect(durables.sort()).toEqual(['catalog', 'customers', 'orders', 'sales'].map((projection) => `${bus.namespace}-${projection}`));
    } finally {
      await nats.close();
    }
  });

  it('reports the lag of every projection it runs', async () => {
    const metrics = await (await fetch(projector.metricsUrl)).text();
    for (const name of ['catalog', 'orders', 'customers', 'sales']) {
      expect(metrics).toMatch(new RegExp(`projection_lag_events\\{[^}]*projection="${name}"[^}]*\\} 0`));
      expect(metrics).toMatch(new RegExp(`projection_lag_seconds\\{[^}]*projection="${name}"[^}]*\\} 0`));
    }
  });
});
