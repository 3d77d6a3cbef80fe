import { DomainError } from '../shared/domain-error.js';
import { decideProduct, type ExistingProductState, type FulfillReservation, type ProductState, type ReleaseStock } from '../products/product.decider.js';
import { assertNever } from '../shared/exhaustive.js';
import type { ProductEvent } from '../products/product.events.js';
import { initialOrderState, type OrderState } from './order.decider.js';
import { MAX_LINE_QUANTITY, MIN_LINE_QUANTITY, type OrderEvent, type OrderLine, type ShippingAddress } from './order.events.js';

/** What a shopper asks for: products and quantities only. Prices, names and currency come from the catalog. */
export type PlaceOrder = {
  type: 'PlaceOrder';
  data: {
    orderId: string;
    customerId: string;
    lines: { productId: string; quantity: number }[];
    shippingAddress: ShippingAddress;
    placedAt: string;
  };
};

/** The events to append to the order stream and to each line's product stream, all or nothing. */
export type PlaceOrderDecision = {
  orderEvents: OrderEvent[];
  productEvents: Record<string, ProductEvent[]>;
};

const lookup = (products: Record<string, ProductState>, productId: string): ProductState | undefined =>
  Object.hasOwn(products, productId) ? products[productId] : undefined;

/**
 * Pure and cross-aggregate: places an order against the current state of its products. Every line is priced from
 * the catalog and reserved through the product decider before anything is returned, so a single short or invalid
 * line throws and nothing at all is reserved. `order` is the order stream's state (absent for a new order).
 */
export function decidePlaceOrder(
  command: PlaceOrder,
  products: Record<string, ProductState>,
  order: OrderState = initialOrderState,
): PlaceOrderDecision {
  const { orderId, customerId, lines, shippingAddress, placedAt } = command.data;
  if (order.status !== 'absent') throw new DomainError('order_already_exists', `Order ${orderId} already exists`);
  if (lines.length === 0) throw new DomainError('empty_order', 'An order needs at least one line');

  const seen = new Set<string>();
  for (const { productId, quantity } of lines) {
    if (!Number.isInteger(quantity) || quantity < MIN_LINE_QUANTITY || quantity > MAX_LINE_QUANTITY) {
      throw new DomainError('invalid_quantity', `A line's quantity must be a whole number from ${MIN_LINE_QUANTITY} to ${MAX_LINE_QUANTITY}`);
    }
    // A product holds one reservation per order, and a second reserve for the same order records nothing:
    // a product on two lines would leave the second line unreserved.
    if (seen.has(productId)) throw new DomainError('duplicate_order_line', `Product ${productId} appears on more than one line`);
    seen.add(productId);
  }

  const priced = lines.map((line): { line: (typeof lines)[number]; product: ExistingProductState } => {
    const product = lookup(products, line.productId);
    if (product === undefined || product.status === 'absent') {
      throw new DomainError('product_not_found', `Product ${line.productId} does not exist`);
    }
    return { line, product };
  });

  const currency = priced[0]!.product.currency;
  const foreign = priced.find(({ product }) => product.currency !== currency);
  if (foreign) {
    const { productId, currency: other } = foreign.product;
    throw new DomainError('currency_mismatch', `Product ${productId} is priced in ${other}, the order's first line in ${currency}`);
  }

  const productEvents: Record<string, ProductEvent[]> = Object.fromEntries(
    priced.map(({ line, product }) => [
      line.productId,
      decideProduct({ type: 'ReserveStock', data: { productId: line.productId, orderId, quantity: line.quantity } }, product),
    ]),
  );

  const orderLines: OrderLine[] = priced.map(({ line, product }) => ({
    productId: line.productId,
    sku: product.sku,
    name: product.name,
    quantity: line.quantity,
    unitPriceCents: product.priceCents,
    lineTotalCents: line.quantity * product.priceCents,
  }));
  const totalCents = orderLines.reduce((sum, line) => sum + line.lineTotalCents, 0);

  return {
    orderEvents: [
      {
        type: 'OrderPlaced',
        data: { orderId, customerId, lines: orderLines, currency, totalCents, shippingAddress: { ...shippingAddress }, placedAt },
      },
    ],
    productEvents,
  };
}

/** The ReleaseStock commands that give a cancelled order's reserved units back, one per line. */
export function releaseForCancelledOrder(order: OrderState): ReleaseStock[] {
  if (order.status === 'absent') throw new DomainError('order_not_found', 'An order that does not exist holds no stock');
  if (order.status !== 'cancelled') {
    throw new DomainError('illegal_transition', `Order ${order.orderId} is ${order.status}: only a cancelled order releases its stock`);
  }
  return order.lines.map((line) => ({ type: 'ReleaseStock', data: { productId: line.productId, orderId: order.orderId } }));
}

/**
 * The product commands an order's transition implies, from its state before and after: cancelling releases the
 * order's reservations; shipping fulfils them (the units left); refunding an order that was paid but neither
 * shipped nor cancelled releases them (the goods never left). Anything else touches no product.
 */
export function stockCommandsFor(before: OrderState, after: OrderState): Array<ReleaseStock | FulfillReservation> {
  if (after.status === 'absent' || before.status === after.status) return [];
  const release = (): ReleaseStock[] =>
    after.lines.map((line) => ({ type: 'ReleaseStock', data: { productId: line.productId, orderId: after.orderId } }));
  switch (after.status) {
    case 'cancelled':
      return release();
    case 'shipped':
      return after.lines.map((line) => ({ type: 'FulfillReservation', data: { productId: line.productId, orderId: after.orderId } }));
    case 'refunded':
      return before.status === 'paid' ? release() : [];
    case 'placed':
    case 'paid':
      return [];
    default: {
      const unknown: never = after;
      return assertNever(unknown);
    }
  }
}
