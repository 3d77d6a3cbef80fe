import { randomUUID } from 'node:crypto';
import {
  decideOrder,
  decidePlaceOrder,
  decideProduct,
  evolveOrder,
  evolveProduct,
  initialOrderState,
  initialProductState,
  ORDER_EVENT_VERSIONS,
  orderStreamId,
  PRODUCT_EVENT_VERSIONS,
  productStreamId,
  stockCommandsFor,
  type Currency,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
  type ProductEvent,
  type ProductState,
} from '@shop/domain';
import type { EventStore, NewEvent, StreamAppend } from '@shop/kernel';
import { newEventBy, seeded } from './seeded.js';

const newEvent = (event: OrderEvent | ProductEvent, schemaVersion: number): NewEvent => newEventBy('sales-history', event, schemaVersion);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Test support: a random but reproducible order history written through the domain's own deciders (place, pay,
 * ship, cancel, refund, with every stock event they imply), appended to a real store with exact expected versions.
 * Orders' transitions are interleaved, and some payments and refunds fall exactly on and just before UTC midnight.
 */
export class OrderHistoryWriter {
  private readonly products = new Map<string, { state: ProductState; version: bigint }>();
  private readonly orders = new Map<string, { state: OrderState; version: bigint }>();
  private readonly random: () => number;

  constructor(
    private readonly store: EventStore,
    seed: number,
    /** Day 0 of the history, at UTC midnight. */
    readonly start = new Date('2026-11-01T00:00:00.000Z'),
  ) {
    this.random = seeded(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  async createProducts(currencies: readonly Currency[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, currency] of currencies.entries()) {
      const productId = randomUUID();
      const events = decideProduct(
        {
          type: 'CreateProduct',
          data: { productId, sku: `SALE-${i}-${productId.slice(0, 4)}`, name: `Product ${i}`, description: '', priceCents: 100 + Math.floor(this.random() * 5_000), currency, initialStock: 100_000 },
        },
        initialProductState,
      );
      await this.appendProductEvents(productId, events);
      ids.push(productId);
    }
    return ids;
  }

  /** Places `count` orders, then plays their fates interleaved. Answers the ids of the orders. */
  async writeOrders(productIds: readonly string[], count: number): Promise<string[]> {
    const plans: Array<{ orderId: string; steps: Array<(at: Date) => OrderCommand>; at: number }> = [];
    for (let n = 0; n < count; n++) {
      const orderId = randomUUID();
      const currency = this.currencyOf(this.pick(productIds));
      const candidates = productIds.filter((id) => this.currencyOf(id) === currency);
      const lines = [...new Set(Array.from({ length: 1 + Math.floor(this.random() * 3) }, () => this.pick(candidates)))].map((productId) => ({
        productId,
        quantity: 1 + Math.floor(this.random() * 4),
      }));
      const placedAt = this.start.getTime() + Math.floor(this.random() * 20 * DAY);
      await this.place(orderId, lines, new Date(placedAt));
      plans.push({ orderId, steps: this.fate(orderId, n), at: placedAt });
    }
    // Interleave: any order with steps left takes its next one, later than its previous one.
    for (let open = plans.filter((p) => p.steps.length); open.length; open = plans.filter((p) => p.steps.length)) {
      const plan = this.pick(open);
      const step = plan.steps.shift()!;
      plan.at = this.nextInstant(plan.at, plans.indexOf(plan));
      await this.transition(step(new Date(plan.at)));
    }
    return plans.map((p) => p.orderId);
  }

  /** Edge instants on purpose: every 7th order's steps fall on UTC midnight, every 11th's a millisecond before. */
  private nextInstant(previous: number, index: number): number {
    const later = previous + 1 + Math.floor(this.random() * 60 * HOUR);
    if (index % 7 === 0) return Math.ceil(later / DAY) * DAY;
    if (index % 11 === 0) return Math.ceil(later / DAY) * DAY - 1;
    return later;
  }

  private fate(orderId: string, n: number): Array<(at: Date) => OrderCommand> {
    const pay = (at: Date): OrderCommand => ({ type: 'PayOrder', data: { orderId, method: 'card', paidAt: at.toISOString() } });
    const ship = (at: Date): OrderCommand => ({ type: 'ShipOrder', data: { orderId, shippedAt: at.toISOString() } });
    const cancel = (at: Date): OrderCommand => ({ type: 'CancelOrder', data: { orderId, cancelledAt: at.toISOString() } });
    const refund = (at: Date): OrderCommand => ({ type: 'RefundOrder', data: { orderId, refundedAt: at.toISOString() } });
    switch (n % 8) {
      case 0:
        return [];
      case 1:
        return [cancel];
      case 2:
      case 3:
        return [pay, ship];
      case 4:
        return [pay];
      case 5:
        return [pay, refund];
      case 6:
        return [pay, ship, refund];
      default:
        return [pay, cancel, refund];
    }
  }

  private currencyOf(productId: string): Currency {
    const state = this.products.get(productId)?.state;
    if (!state || state.status === 'absent') throw new Error(`unknown product ${productId}`);
    return state.currency;
  }

  private async place(orderId: string, lines: Array<{ productId: string; quantity: number }>, placedAt: Date): Promise<void> {
    const customerId = randomUUID();
    const states = Object.fromEntries([...this.products].map(([id, product]) => [id, product.state]));
    const decision = decidePlaceOrder(
      {
        type: 'PlaceOrder',
        data: { orderId, customerId, lines, placedAt: placedAt.toISOString(), shippingAddress: { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' } },
      },
      states,
    );
    await this.append(orderId, decision.orderEvents, decision.productEvents);
  }

  private async transition(command: OrderCommand): Promise<void> {
    const { orderId } = command.data;
    const order = this.orders.get(orderId)!;
    const orderEvents = decideOrder(command, order.state);
    const after = orderEvents.reduce(evolveOrder, order.state);
    const productEvents: Record<string, ProductEvent[]> = {};
    for (const stock of stockCommandsFor(order.state, after)) {
      productEvents[stock.data.productId] = decideProduct(stock, this.products.get(stock.data.productId)!.state);
    }
    await this.append(orderId, orderEvents, productEvents);
  }

  /** The order's events and its products' in ONE atomic append, each stream at the version it was decided on. */
  private async append(orderId: string, orderEvents: OrderEvent[], productEvents: Record<string, ProductEvent[]>): Promise<void> {
    const order = this.orders.get(orderId) ?? { state: initialOrderState, version: 0n };
    const products = Object.entries(productEvents).filter(([, events]) => events.length > 0);
    const appends: StreamAppend[] = [
      { streamId: orderStreamId(orderId), expected: order.version === 0n ? 'no_stream' : order.version, events: orderEvents.map((e) => newEvent(e, ORDER_EVENT_VERSIONS[e.type])) },
      ...products.map(([productId, events]) => ({
        streamId: productStreamId(productId),
        expected: this.products.get(productId)!.version,
        events: events.map((e) => newEvent(e, PRODUCT_EVENT_VERSIONS[e.type])),
      })),
    ];
    const results = await this.store.appendToStreams(appends);
    this.orders.set(orderId, { state: orderEvents.reduce(evolveOrder, order.state), version: results[0]!.nextVersion });
    products.forEach(([productId, events], i) => {
      const product = this.products.get(productId)!;
      this.products.set(productId, { state: events.reduce(evolveProduct, product.state), version: results[i + 1]!.nextVersion });
    });
  }

  private async appendProductEvents(productId: string, events: ProductEvent[]): Promise<void> {
    const { nextVersion } = await this.store.appendToStream(
      productStreamId(productId),
      'no_stream',
      events.map((e) => newEvent(e, PRODUCT_EVENT_VERSIONS[e.type])),
    );
    this.products.set(productId, { state: events.reduce(evolveProduct, initialProductState), version: nextVersion });
  }
}
