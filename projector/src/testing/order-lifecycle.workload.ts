import { randomUUID } from 'node:crypto';
import {
  CUSTOMER_EVENT_VERSIONS,
  CustomerEvent,
  customerStreamId,
  decideCustomer,
  decideOrder,
  decidePlaceOrder,
  decideProduct,
  evolveCustomer,
  evolveOrder,
  evolveProduct,
  initialCustomerState,
  initialOrderState,
  initialProductState,
  isDomainError,
  ORDER_EVENT_VERSIONS,
  OrderEvent,
  orderStreamId,
  PRODUCT_EVENT_VERSIONS,
  productStreamId,
  stockCommandsFor,
  type CustomerState,
  type OrderCommand,
  type OrderState,
  type ProductEvent,
  type ProductState,
} from '@shop/domain';
import type { EventStore, NewEvent, StreamAppend } from '@shop/kernel';
import { newEventBy, seeded } from './seeded.js';

/**
 * Test helper (no test of its own): drives customers, products and orders through the real domain deciders and
 * appends what they decide to a real store — placing, paying, shipping, cancelling, refunding, changing profiles
 * and forgetting customers (some of whom still place orders afterwards, as a race with the erasure would). A seeded
 * generator makes every run of a seed the same history.
 */
export interface LifecycleWorkload {
  orders: number;
  customers: number;
  products: number;
  seed: number;
}

const toNewEvent = (event: { type: string; data: object }, schemaVersion: number): NewEvent => newEventBy('workload', event, schemaVersion);

const addresses = [
  { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
  { line1: 'Unter den Linden 1', line2: 'Hinterhaus', city: 'Berlin', postalCode: '10117', country: 'DE' },
  { name: 'Grace "Amazing" Hopper', line1: "O'Connell Street 5", city: 'Dublin', postalCode: 'D01 F5P2', country: 'IE' },
];

export async function driveOrderLifecycles(store: EventStore, workload: LifecycleWorkload): Promise<{ customerIds: string[]; orderIds: string[] }> {
  const random = seeded(workload.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const versions = new Map<string, bigint>();
  const products = new Map<string, ProductState>();
  const customers = new Map<string, CustomerState>();
  const orders = new Map<string, OrderState>();
  // A virtual clock: mostly moving on, sometimes standing still, so that orders share a placedAt (keyset ties).
  let clock = Date.parse('2026-11-01T00:00:00Z');
  const now = (): string => {
    if (random() < 0.8) clock += 1 + Math.floor(random() * 60_000);
    return new Date(clock).toISOString();
  };

  const append = async (appends: Array<{ streamId: string; events: NewEvent[] }>): Promise<void> => {
    const nonEmpty = appends.filter((a) => a.events.length > 0);
    const streamAppends: StreamAppend[] = nonEmpty.map((a) => ({ ...a, expected: versions.get(a.streamId) ?? 'no_stream' }));
    const results = await store.appendToStreams(streamAppends);
    nonEmpty.forEach((a, i) => versions.set(a.streamId, results[i]!.nextVersion));
  };
  const productAppends = (events: Record<string, ProductEvent[]>): Array<{ streamId: string; events: NewEvent[] }> =>
    Object.entries(events).map(([productId, productEvents]) => {
      products.set(productId, productEvents.reduce(evolveProduct, products.get(productId) ?? initialProductState));
      return { streamId: productStreamId(productId), events: productEvents.map((e) => toNewEvent(e, PRODUCT_EVENT_VERSIONS[e.type])) };
    });
  const customerDecision = async (customerId: string, events: CustomerEvent[]): Promise<void> => {
    customers.set(customerId, events.reduce(evolveCustomer, customers.get(customerId) ?? initialCustomerState));
    await append([{ streamId: customerStreamId(customerId), events: events.map((e) => toNewEvent(e, CUSTOMER_EVENT_VERSIONS[e.type])) }]);
  };

  for (let i = 0; i < workload.products; i++) {
    const productId = randomUUID();
    const events = decideProduct(
      { type: 'CreateProduct', data: { productId, sku: `W-${i}`, name: `Thing ${i}`, description: '', priceCents: 100 + i * 37, currency: 'EUR', initialStock: 1_000_000 } },
      initialProductState,
    );
    await append(productAppends({ [productId]: events }));
  }
  for (let i = 0; i < workload.customers; i++) {
    const customerId = randomUUID();
    await customerDecision(
      customerId,
      decideCustomer({ type: 'RegisterCustomer', data: { customerId, email: `c${i}-${customerId.slice(0, 6)}@example.com`, name: `Customer ${i}`, registeredAt: now() } }, initialCustomerState),
    );
  }

  const productIds = [...products.keys()];
  const customerIds = [...customers.keys()];
  const placeOrder = async (): Promise<void> => {
    const orderId = randomUUID();
    const customerId = pick(customerIds);
    const lineCount = 1 + Math.floor(random() * 3);
    const chosen = [...new Set(Array.from({ length: lineCount }, () => pick(productIds)))];
    const decision = decidePlaceOrder(
      {
        type: 'PlaceOrder',
        data: { orderId, customerId, lines: chosen.map((productId) => ({ productId, quantity: 1 + Math.floor(random() * 4) })), shippingAddress: pick(addresses), placedAt: now() },
      },
      Object.fromEntries(chosen.map((id) => [id, products.get(id)!])),
    );
    orders.set(orderId, decision.orderEvents.reduce(evolveOrder, initialOrderState));
    await append([
      { streamId: orderStreamId(orderId), events: decision.orderEvents.map((e) => toNewEvent(e, ORDER_EVENT_VERSIONS[e.type])) },
      ...productAppends(decision.productEvents),
    ]);
  };
  const moveOrder = async (): Promise<void> => {
    const orderId = pick([...orders.keys()]);
    const before = orders.get(orderId)!;
    const at = now();
    const commands: OrderCommand[] = [
      { type: 'PayOrder', data: { orderId, method: pick(['card', 'invoice', 'paypal'] as const), paidAt: at } },
      { type: 'ShipOrder', data: { orderId, shippedAt: at } },
      { type: 'CancelOrder', data: random() < 0.5 ? { orderId, cancelledAt: at } : { orderId, reason: 'changed my mind', cancelledAt: at } },
      { type: 'RefundOrder', data: { orderId, refundedAt: at } },
    ];
    let events: OrderEvent[];
    try {
      events = decideOrder(pick(commands), before);
    } catch (error) {
      if (isDomainError(error)) return; // an illegal transition: the domain said no, nothing is written
      throw error;
    }
    const after = events.reduce(evolveOrder, before);
    orders.set(orderId, after);
    const stock: Record<string, ProductEvent[]> = {};
    for (const command of stockCommandsFor(before, after)) stock[command.data.productId] = decideProduct(command, products.get(command.data.productId)!);
    await append([{ streamId: orderStreamId(orderId), events: events.map((e) => toNewEvent(e, ORDER_EVENT_VERSIONS[e.type])) }, ...productAppends(stock)]);
  };
  const changeCustomer = async (): Promise<void> => {
    const customerId = pick(customerIds);
    const state = customers.get(customerId)!;
    if (state.status !== 'registered') return;
    const events =
      random() < 0.3
        ? decideCustomer({ type: 'ForgetCustomer', data: { customerId, forgottenAt: now() } }, state)
        : decideCustomer({ type: 'ChangeCustomerProfile', data: { customerId, name: `Renamed ${Math.floor(random() * 1000)}` } }, state);
    if (events.length) await customerDecision(customerId, events);
  };

  while (orders.size < workload.orders) {
    const roll = random();
    if (roll < 0.35 || orders.size === 0) await placeOrder();
    else if (roll < 0.93) await moveOrder();
    else await changeCustomer();
  }
  return { customerIds, orderIds: [...orders.keys()] };
}
