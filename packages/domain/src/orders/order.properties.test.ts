import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { isDomainError } from '../shared/domain-error.js';
import { holdsAfterEveryCommand, isPlainJson, thrownBy } from '../shared/decider-spec.js';
import type { Currency } from '../shared/money.js';
import { decideProduct, evolveProduct, initialProductState, reservedFor, type ProductState } from '../products/product.decider.js';
import type { ProductEvent } from '../products/product.events.js';
import { decideOrder, evolveOrder, initialOrderState, type OrderCommand, type OrderState } from './order.decider.js';
import { decidePlaceOrder, releaseForCancelledOrder, type PlaceOrder, type PlaceOrderDecision } from './order-stock.decider.js';
import { MAX_LINE_QUANTITY, OrderEvent } from './order.events.js';

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const orderId = uuid(100);
const customerId = uuid(200);
const productIds = [1, 2, 3, 4].map(uuid);
const unknownProductId = uuid(99);
const at = '2025-03-01T10:00:00.000Z';

type ProductSpec = { status: 'absent' | 'active' | 'discontinued'; currency: Currency; priceCents: number; stock: number };

const productSpec: fc.Arbitrary<ProductSpec> = fc.record({
  status: fc.constantFrom<ProductSpec['status']>('active', 'active', 'active', 'active', 'active', 'active', 'absent', 'discontinued'),
  currency: fc.constantFrom<Currency>('EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'USD'),
  priceCents: fc.integer({ min: 0, max: 100_000 }),
  stock: fc.integer({ min: 0, max: 12 }),
});

function productState(productId: string, spec: ProductSpec): ProductState {
  if (spec.status === 'absent') return initialProductState;
  const events: ProductEvent[] = [
    {
      type: 'ProductCreated',
      data: {
        productId,
        sku: `SKU-${productId.slice(-1)}`,
        name: 'Thing',
        description: '',
        priceCents: spec.priceCents,
        currency: spec.currency,
        initialStock: spec.stock,
      },
    },
  ];
  if (spec.status === 'discontinued') events.push({ type: 'ProductDiscontinued', data: { productId } });
  return events.reduce(evolveProduct, initialProductState);
}

const catalog: fc.Arbitrary<Record<string, ProductState>> = fc
  .tuple(...productIds.map(() => productSpec))
  .map((specs) => Object.fromEntries(specs.map((spec, i) => [productIds[i]!, productState(productIds[i]!, spec)])));

const quantity = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, MAX_LINE_QUANTITY, MAX_LINE_QUANTITY + 1) },
);
/** Lines of every kind, valid or not: an empty order, duplicates, unknown products, quantities out of range. */
const lines = fc.oneof(
  { weight: 1, arbitrary: fc.constant<PlaceOrder['data']['lines']>([]) },
  {
    weight: 12,
    arbitrary: fc.array(
      fc.record({
        productId: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...productIds) }, { weight: 1, arbitrary: fc.constant(unknownProductId) }),
        quantity,
      }),
      { minLength: 1, maxLength: 3 },
    ),
  },
);

/** For the properties of a placed order: a catalog and lines that are mostly placeable (only stock may fall short). */
const servingCatalog = fc
  .tuple(...productIds.map(() => fc.record({ priceCents: fc.integer({ min: 0, max: 100_000 }), stock: fc.integer({ min: 0, max: 12 }) })))
  .map((specs) =>
    Object.fromEntries(specs.map((spec, i) => [productIds[i]!, productState(productIds[i]!, { status: 'active', currency: 'EUR', ...spec })])),
  );
const servableLines = fc.uniqueArray(fc.record({ productId: fc.constantFrom(...productIds), quantity: fc.integer({ min: 1, max: 4 }) }), {
  minLength: 1,
  maxLength: 4,
  selector: (line) => line.productId,
});

const place = (orderLines: PlaceOrder['data']['lines']): PlaceOrder => ({
  type: 'PlaceOrder',
  data: { orderId, customerId, lines: orderLines, shippingAddress: { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' }, placedAt: at },
});

/** The oracle: whether an order may be placed, stated independently of the decider's order of checks. */
function placeable(orderLines: PlaceOrder['data']['lines'], products: Record<string, ProductState>): boolean {
  const ids = orderLines.map((line) => line.productId);
  const states = ids.map((id) => (Object.hasOwn(products, id) ? products[id] : undefined));
  const currencies = new Set(states.map((state) => (state && state.status !== 'absent' ? state.currency : undefined)));
  return (
    orderLines.length > 0 &&
    new Set(ids).size === ids.length &&
    currencies.size === 1 &&
    orderLines.every(
      (line, i) =>
        Number.isInteger(line.quantity) &&
        line.quantity >= 1 &&
        line.quantity <= MAX_LINE_QUANTITY &&
        states[i]?.status === 'active' &&
        states[i].available >= line.quantity,
    )
  );
}

const evolveAll = (products: Record<string, ProductState>, productEvents: Record<string, ProductEvent[]>): Record<string, ProductState> =>
  Object.fromEntries(Object.entries(products).map(([id, state]) => [id, (productEvents[id] ?? []).reduce(evolveProduct, state)]));

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

describe('decidePlaceOrder properties', () => {
  it('places exactly the orders the catalog can serve, and leaves the catalog untouched either way', () => {
    fc.assert(
      fc.property(catalog, lines, (products, orderLines) => {
        const before = JSON.stringify(products);
        let placed: boolean;
        try {
          decidePlaceOrder(place(orderLines), products);
          placed = true;
        } catch (error) {
          if (!isDomainError(error)) throw error;
          placed = false;
        }
        return JSON.stringify(products) === before && placed === placeable(orderLines, products);
      }),
    );
  });

  it('refuses out_of_stock only when some line asks for more than is available', () => {
    fc.assert(
      fc.property(catalog, lines, (products, orderLines) => {
        const error = thrownBy(() => decidePlaceOrder(place(orderLines), products));
        if (!isDomainError(error) || error.code !== 'out_of_stock') return true;
        return orderLines.some((line) => {
          const state = products[line.productId];
          return state?.status === 'active' && state.available < line.quantity;
        });
      }),
    );
  });

  it('reserves for each line exactly its quantity, and nothing on any other product', () => {
    fc.assert(
      fc.property(servingCatalog, servableLines, (products, orderLines) => {
        fc.pre(placeable(orderLines, products));
        const { productEvents } = decidePlaceOrder(place(orderLines), products);
        const expected = Object.fromEntries(
          orderLines.map((line) => [line.productId, [{ type: 'StockReserved', data: { productId: line.productId, orderId, quantity: line.quantity } }]]),
        );
        const after = evolveAll(products, productEvents);
        return (
          sameJson(productEvents, expected) &&
          orderLines.every((line) => {
            const [was, is] = [products[line.productId], after[line.productId]];
            if (was?.status !== 'active' || is?.status !== 'active') return false;
            return is.available === was.available - line.quantity && reservedFor(is, orderId) === line.quantity;
          })
        );
      }),
    );
  });

  it('totals every order as the sum of its lines, each priced at the catalog price', () => {
    fc.assert(
      fc.property(servingCatalog, servableLines, (products, orderLines) => {
        fc.pre(placeable(orderLines, products));
        const [placed] = decidePlaceOrder(place(orderLines), products).orderEvents;
        if (placed?.type !== 'OrderPlaced') return false;
        const { lines: placedLines, totalCents } = placed.data;
        return (
          placedLines.every((line) => {
            const state = products[line.productId];
            return state?.status === 'active' && line.unitPriceCents === state.priceCents && line.lineTotalCents === line.quantity * line.unitPriceCents;
          }) && totalCents === placedLines.reduce((sum, line) => sum + line.lineTotalCents, 0)
        );
      }),
    );
  });

  it('gives every reserved unit back when the order is cancelled', () => {
    fc.assert(
      fc.property(servingCatalog, servableLines, (products, orderLines) => {
        fc.pre(placeable(orderLines, products));
        const decision: PlaceOrderDecision = decidePlaceOrder(place(orderLines), products);
        const reserved = evolveAll(products, decision.productEvents);
        const order = decision.orderEvents.reduce(evolveOrder, initialOrderState);
        const cancelled = decideOrder({ type: 'CancelOrder', data: { orderId, cancelledAt: at } }, order).reduce(evolveOrder, order);
        const releases = Object.fromEntries(
          releaseForCancelledOrder(cancelled).map((release) => [release.data.productId, decideProduct(release, reserved[release.data.productId]!)]),
        );
        return sameJson(evolveAll(reserved, releases), products);
      }),
    );
  });
});

const orderCommand: fc.Arbitrary<OrderCommand> = fc.oneof(
  fc.constantFrom('card', 'invoice', 'paypal').map((method): OrderCommand => ({ type: 'PayOrder', data: { orderId, method, paidAt: at } })),
  fc.constant<OrderCommand>({ type: 'ShipOrder', data: { orderId, shippedAt: at } }),
  fc.option(fc.constant('changed my mind'), { nil: undefined }).map((reason): OrderCommand => ({
    type: 'CancelOrder',
    data: reason === undefined ? { orderId, cancelledAt: at } : { orderId, reason, cancelledAt: at },
  })),
  fc.constant<OrderCommand>({ type: 'RefundOrder', data: { orderId, refundedAt: at } }),
);

/** Any valid order: distinct products with ample stock, so that every generated order is placed. */
const placedOrder: fc.Arbitrary<OrderEvent[]> = fc
  .record({
    prices: fc.tuple(...productIds.map(() => fc.integer({ min: 0, max: 100_000 }))),
    lines: fc.uniqueArray(fc.record({ productId: fc.constantFrom(...productIds), quantity: fc.integer({ min: 1, max: MAX_LINE_QUANTITY }) }), {
      minLength: 1,
      maxLength: 4,
      selector: (line) => line.productId,
    }),
  })
  .map(({ prices, lines: orderLines }) => {
    const products = Object.fromEntries(
      productIds.map((id, i) => [id, productState(id, { status: 'active', currency: 'EUR', priceCents: prices[i]!, stock: MAX_LINE_QUANTITY })]),
    );
    return decidePlaceOrder(place(orderLines), products).orderEvents;
  });

/** Runs commands on a placed order one after another (refused ones change nothing) and tells whether `holds` after every one. */
const run = (placed: OrderEvent[], commands: OrderCommand[], holds: (state: OrderState, history: readonly OrderEvent[], fresh: readonly OrderEvent[]) => boolean): boolean =>
  holdsAfterEveryCommand({ decide: decideOrder, evolve: evolveOrder, initialState: initialOrderState }, placed, commands, holds);

const indexOf = (history: readonly OrderEvent[], type: OrderEvent['type']): number => history.findIndex((event) => event.type === type);
const count = (history: readonly OrderEvent[], type: OrderEvent['type']): number => history.filter((event) => event.type === type).length;
const amountOf = (event: OrderEvent | undefined): number | undefined =>
  event?.type === 'OrderPaid' || event?.type === 'OrderRefunded' ? event.data.amountCents : undefined;

const commands = fc.array(orderCommand, { maxLength: 12 });

describe('order decider properties', () => {
  it('never ships an order that was not paid first', () => {
    fc.assert(
      fc.property(placedOrder, commands, (placed, sequence) =>
        run(placed, sequence, (state, history) => {
          const shippedAt = indexOf(history, 'OrderShipped');
          const paidAt = indexOf(history, 'OrderPaid');
          return (shippedAt < 0 || (paidAt >= 0 && paidAt < shippedAt)) && (state.status !== 'shipped' || state.paid);
        }),
      ),
    );
  });

  it('never pays, ships, cancels or refunds an order twice', () => {
    fc.assert(
      fc.property(placedOrder, commands, (placed, sequence) =>
        run(placed, sequence, (_state, history) =>
          (['OrderPaid', 'OrderShipped', 'OrderCancelled', 'OrderRefunded'] as const).every((type) => count(history, type) <= 1),
        ),
      ),
    );
  });

  it('refunds only what was paid, and only once it was paid', () => {
    fc.assert(
      fc.property(placedOrder, commands, (placed, sequence) =>
        run(placed, sequence, (state, history) => {
          const refundedAt = indexOf(history, 'OrderRefunded');
          if (refundedAt < 0) return true;
          const paidAt = indexOf(history, 'OrderPaid');
          const total = state.status === 'absent' ? undefined : state.totalCents;
          return paidAt >= 0 && paidAt < refundedAt && amountOf(history[paidAt]) === total && amountOf(history[refundedAt]) === total;
        }),
      ),
    );
  });

  it('keeps the total equal to the sum of the lines, and never cancels a shipped order', () => {
    fc.assert(
      fc.property(placedOrder, commands, (placed, sequence) =>
        run(placed, sequence, (state, history) => {
          if (state.status === 'absent') return false;
          const shippedAt = indexOf(history, 'OrderShipped');
          return (
            state.totalCents === state.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0) &&
            (shippedAt < 0 || !history.slice(shippedAt).some((event) => event.type === 'OrderCancelled'))
          );
        }),
      ),
    );
  });

  it('decides only events its schema accepts on read-back, into a state that is plain JSON', () => {
    fc.assert(
      fc.property(placedOrder, commands, (placed, sequence) => {
        const readable = (events: readonly OrderEvent[]) => events.every((event) => OrderEvent.safeParse(event).success);
        return readable(placed) && run(placed, sequence, (state, _history, fresh) => isPlainJson(state) && readable(fresh));
      }),
    );
  });
});
