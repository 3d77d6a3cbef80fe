import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import {
  CUSTOMER_STREAM_PREFIX,
  CustomerEvent,
  evolveCustomer,
  evolveOrder,
  initialCustomerState,
  initialOrderState,
  ORDER_STREAM_PREFIX,
  OrderEvent,
  type CustomerState,
  type OrderState,
} from '@shop/domain';
import { inTransaction, type PostgresEventStore, type RecordedEvent } from '@shop/kernel';
import {
  CUSTOMER_VIEW_COLUMNS,
  customerOrdersCacheKey,
  ORDER_VIEW_COLUMNS,
  orderCacheKey,
  redactShippingAddress,
  toCustomerView,
  toOrderView,
  type CustomerRow,
  type OrderRow,
} from '@shop/read-models';
import { rebuildProjection } from '../../runner/rebuild.js';
import { customersProjection, customersProjectionInto } from '../customers/customers.projection.js';
import { PROJECTIONS } from '../index.js';
import { startTestDatabase, type TestDatabase } from '../../testing/infrastructure.js';
import { loadedTestRunner } from '../../testing/runner.js';
import { driveOrderLifecycles } from '../../testing/order-lifecycle.workload.js';
import { ordersProjection, ordersProjectionInto } from './orders.projection.js';

/**
 * The orders and customers read models over real Postgres, against an oracle the domain itself folds from the
 * store (`evolveOrder`, `evolveCustomer`), for a few hundred orders driven through their real lifecycle.
 */
describe('orders and customers projections against the domain\'s own fold (real Postgres)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let history: RecordedEvent[];

  const table = async (name: string): Promise<unknown[]> => (await pool.query<Record<string, unknown>>(`SELECT * FROM ${name} ORDER BY 1`)).rows;

  /** What the domain says every order and customer is, folded from the store in global order. */
  const oracle = (): { orders: Map<string, { state: OrderState; version: bigint }>; customers: Map<string, { state: CustomerState; version: bigint }> } => {
    const orders = new Map<string, { state: OrderState; version: bigint }>();
    const customers = new Map<string, { state: CustomerState; version: bigint }>();
    for (const event of history) {
      if (event.streamId.startsWith(ORDER_STREAM_PREFIX)) {
        const order = OrderEvent.parse({ type: event.type, data: event.data });
        const state = evolveOrder(orders.get(order.data.orderId)?.state ?? initialOrderState, order);
        orders.set(order.data.orderId, { state, version: event.streamVersion });
      } else if (event.streamId.startsWith(CUSTOMER_STREAM_PREFIX)) {
        const customer = CustomerEvent.parse({ type: event.type, data: event.data });
        const state = evolveCustomer(customers.get(customer.data.customerId)?.state ?? initialCustomerState, customer);
        customers.set(customer.data.customerId, { state, version: event.streamVersion });
      }
    }
    return { orders, customers };
  };

  beforeAll(async () => {
    database = await startTestDatabase();
    ({ pool, store } = database);
    await driveOrderLifecycles(store, { orders: 300, customers: 40, products: 12, seed: 20261124 });
    history = await store.readAll(0n, 1_000_000);
    for (const projection of [ordersProjection, customersProjection]) {
      const live = await loadedTestRunner(pool, store, projection);
      await live.catchUpFromStore();
    }
  }, 120_000);

  afterAll(() => database.stop());

  it('drives a history with every lifecycle step, erasures, and orders placed after their customer was forgotten', () => {
    const types = new Set(history.map((e) => e.type));
    expect([...types]).toEqual(expect.arrayContaining(['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderCancelled', 'OrderRefunded', 'CustomerProfileChanged', 'CustomerForgotten']));
    const forgottenAt = new Map(history.filter((e) => e.type === 'CustomerForgotten').map((e) => [(e.data as { customerId: string }).customerId, e.globalPosition]));
    const placedAfterErasure = history.filter(
      (e) => e.type === 'OrderPlaced' && (forgottenAt.get((e.data as { customerId: string }).customerId) ?? e.globalPosition) < e.globalPosition,
    );
    expect(placedAfterErasure.length).toBeGreaterThan(0);
  });

  it('holds every order as the domain folds it: status, customer, lines as sold, total, address (redacted once its customer is forgotten), version', async () => {
    const { orders, customers } = oracle();
    const rows = (await pool.query<OrderRow>(`SELECT ${ORDER_VIEW_COLUMNS} FROM orders`)).rows.map(toOrderView);
    expect(rows).toHaveLength(orders.size);
    const actual = Object.fromEntries(rows.map((view) => [view.id, { ...view, paymentMethod: undefined, paidAt: undefined, shippedAt: undefined, cancelledAt: undefined, cancellationReason: undefined, refundedAt: undefined }]));
    const expected = Object.fromEntries(
      [...orders.entries()].map(([id, { state, version }]) => {
        if (state.status === 'absent') throw new Error(`order ${id} folded to absent`);
        const forgotten = customers.get(state.customerId)?.state.status === 'forgotten';
        return [
          id,
          {
            id,
            customerId: state.customerId,
            status: state.status,
            lines: state.lines,
            currency: state.currency,
            totalCents: state.totalCents,
            shippingAddress: forgotten ? redactShippingAddress(state.shippingAddress) : state.shippingAddress,
            placedAt: new Date(state.placedAt).toISOString(),
            version: Number(version),
            paymentMethod: undefined,
            paidAt: undefined,
            shippedAt: undefined,
            cancelledAt: undefined,
            cancellationReason: undefined,
            refundedAt: undefined,
          },
        ];
      }),
    );
    expect(actual).toEqual(expected);
  });

  it('holds every customer as the domain folds it, and nothing personal of a forgotten one', async () => {
    const { customers } = oracle();
    const rows = (await pool.query<CustomerRow>(`SELECT ${CUSTOMER_VIEW_COLUMNS} FROM customers`)).rows.map(toCustomerView);
    const actual = Object.fromEntries(rows.map((view) => [view.id, view]));
    const expected = Object.fromEntries(
      [...customers.entries()].map(([id, { state, version }]) => {
        if (state.status === 'absent') throw new Error(`customer ${id} folded to absent`);
        const base = { id, version: Number(version) };
        return [
          id,
          state.status === 'forgotten'
            ? { ...base, email: null, name: null, registeredAt: null, forgotten: true, forgottenAt: new Date(state.forgottenAt).toISOString() }
            : { ...base, email: state.email, name: state.name, registeredAt: new Date(state.registeredAt).toISOString(), forgotten: false, forgottenAt: null },
        ];
      }),
    );
    expect(actual).toEqual(expected);
    expect(rows.filter((c) => c.forgotten).length).toBeGreaterThan(0);
  });

  it('keeps the lifecycle times each event carries', async () => {
    const byOrder = new Map<string, RecordedEvent[]>();
    for (const event of history.filter((e) => e.streamId.startsWith(ORDER_STREAM_PREFIX))) byOrder.set(event.streamId, [...(byOrder.get(event.streamId) ?? []), event]);
    const rows = (await pool.query<OrderRow>(`SELECT ${ORDER_VIEW_COLUMNS} FROM orders`)).rows.map(toOrderView);
    for (const view of rows) {
      const events = byOrder.get(`order-${view.id}`)!;
      const time = (type: string, field: string): string | null => {
        const event = events.find((e) => e.type === type);
        return event ? new Date((event.data as Record<string, string>)[field]!).toISOString() : null;
      };
      const paid = events.find((e) => e.type === 'OrderPaid')?.data as { method: string } | undefined;
      const cancelled = events.find((e) => e.type === 'OrderCancelled')?.data as { reason?: string } | undefined;
      expect(view).toMatchObject({
        paymentMethod: paid?.method ?? null,
        paidAt: time('OrderPaid', 'paidAt'),
        shippedAt: time('OrderShipped', 'shippedAt'),
        cancelledAt: time('OrderCancelled', 'cancelledAt'),
        cancellationReason: cancelled?.reason ?? null,
        refundedAt: time('OrderRefunded', 'refundedAt'),
      });
    }
  });

  it('leaves exactly the same tables when every event is applied one by one (apply) as the set-based batches (applyNewer) did, naming the stale cache keys', async () => {
    const shadows = ['orders', 'orders_forgotten_customers', 'customers'];
    for (const name of shadows) await pool.query(`DROP TABLE IF EXISTS ${name}_one_by_one; CREATE TABLE ${name}_one_by_one (LIKE ${name} INCLUDING ALL)`);
    const orders = ordersProjectionInto({ orders: 'orders_one_by_one', forgottenCustomers: 'orders_forgotten_customers_one_by_one' });
    const customers = customersProjectionInto('customers_one_by_one');
    const stale: string[][] = [];
    await inTransaction(pool, async (tx) => {
      for (const event of history) {
        stale.push(await orders.apply(tx, event));
        await customers.apply(tx, event);
      }
    });
    for (const name of shadows) expect(await table(`${name}_one_by_one`)).toEqual(await table(name));

    // Every order event names its order's cache key and its customer's list; an erasure names every order it redacted.
    const customerOf = new Map<string, string>();
    const ordersOf = new Map<string, string[]>();
    const forgotten = new Set<string>();
    history.forEach((event, i) => {
      const data = event.data as { orderId?: string; customerId?: string };
      if (event.type === 'OrderPlaced') {
        customerOf.set(data.orderId!, data.customerId!);
        ordersOf.set(data.customerId!, [...(ordersOf.get(data.customerId!) ?? []), data.orderId!]);
      }
      if (event.streamId.startsWith(ORDER_STREAM_PREFIX)) {
        expect(stale[i]!.sort()).toEqual([orderCacheKey(data.orderId!), customerOrdersCacheKey(customerOf.get(data.orderId!)!)].sort());
      } else if (event.type === 'CustomerForgotten') {
        const redacted = forgotten.has(data.customerId!) ? [] : (ordersOf.get(data.customerId!) ?? []);
        forgotten.add(data.customerId!);
        const expected = redacted.length ? [...redacted.map(orderCacheKey), customerOrdersCacheKey(data.customerId!)] : [];
        expect(stale[i]!.sort()).toEqual(expected.sort());
      } else {
        expect(stale[i]).toEqual([]);
      }
    });
  });

  it('never moves a row backwards when old events are applied again, in any order', async () => {
    const before = [await table('orders'), await table('orders_forgotten_customers'), await table('customers')];
    const replay = [...history].reverse().filter((_, i) => i % 3 === 0);
    await inTransaction(pool, async (tx) => {
      for (const event of replay) {
        await ordersProjection.apply(tx, event);
        await customersProjection.apply(tx, event);
      }
      await ordersProjection.applyNewer!(tx, history.slice(0, 200));
    });
    expect([await table('orders'), await table('orders_forgotten_customers'), await table('customers')]).toEqual(before);
  });

  it('rebuilds orders (with its forgotten-customers table) and customers into tables identical to the live ones', async () => {
    const before = [await table('orders'), await table('orders_forgotten_customers'), await table('customers')];
    const lines: string[] = [];
    const orders = await rebuildProjection(pool, store, PROJECTIONS.orders!, (line) => lines.push(line));
    expect(orders).toMatchObject({ identical: true, events: history.length, position: history.at(-1)!.globalPosition });
    const customers = await rebuildProjection(pool, store, PROJECTIONS.customers!, (line) => lines.push(line));
    expect(customers).toMatchObject({ identical: true, events: history.length });
    expect([await table('orders'), await table('orders_forgotten_customers'), await table('customers')]).toEqual(before);
    const indexes = (await pool.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'orders%' ORDER BY 1")).rows.map((r) => r.indexname);
    expect(indexes).toEqual(expect.arrayContaining(['orders_customer_newest', 'orders_newest', 'orders_pkey', 'orders_forgotten_customers_pkey']));
  });

  it('notices a live orders table a faulty projection corrupted, and replaces it', async () => {
    const truth = await table('orders');
    await pool.query("UPDATE orders SET shipping_address = shipping_address || '{\"name\": \"leaked\"}' WHERE customer_forgotten_at IS NOT NULL");
    const result = await rebuildProjection(pool, store, PROJECTIONS.orders!, () => undefined);
    expect(result.identical).toBe(false);
    expect(await table('orders')).toEqual(truth);
  });
});
