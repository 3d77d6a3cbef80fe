/**
 * The business logic of the peer, written the way Emmett's samples write it (samples/webApi/expressjs-with-postgresql,
 * shoppingCarts/): events and commands as Emmett `Event`/`Command` types, a state with `evolve` and `initialState`
 * per stream, and pure functions `(command, state) → event` that throw Emmett's errors. One stream per product, one
 * per order. Placing an order reads the products in the HTTP handler (as the sample's `getUnitPrice`) and appends to
 * the order's stream only: Emmett appends to one stream at a time, so stock is checked, not reserved.
 */
import { IllegalStateError, type Command, type Event } from '@event-driven-io/emmett';

export type ProductCreated = Event<
  'ProductCreated',
  { productId: string; sku: string; name: string; description: string; priceCents: number; currency: string; initialStock: number }
>;

export type Product = { status: 'Empty' } | { status: 'Listed'; priceCents: number; currency: string; stock: number };

export const initialProduct = (): Product => ({ status: 'Empty' });

export const evolveProduct = (state: Product, event: ProductCreated): Product => {
  switch (event.type) {
    case 'ProductCreated':
      return { status: 'Listed', priceCents: event.data.priceCents, currency: event.data.currency, stock: event.data.initialStock };
  }
};

export type CreateProduct = Command<'CreateProduct', ProductCreated['data']>;

export const createProduct = (command: CreateProduct, state: Product): ProductCreated => {
  if (state.status !== 'Empty') throw new IllegalStateError('Product already exists');
  return { type: 'ProductCreated', data: command.data };
};

export interface ShippingAddress {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export type OrderPlaced = Event<
  'OrderPlaced',
  { orderId: string; customerId: string; lines: OrderLine[]; totalCents: number; currency: string; shippingAddress: ShippingAddress; placedAt: string }
>;

export type Order = { status: 'Empty' } | { status: 'Placed'; totalCents: number };

export const initialOrder = (): Order => ({ status: 'Empty' });

export const evolveOrder = (state: Order, event: OrderPlaced): Order => {
  switch (event.type) {
    case 'OrderPlaced':
      return { status: 'Placed', totalCents: event.data.totalCents };
  }
};

/** A line as the handler saw its product: the price and the stock it read from the product's stream. */
export interface PricedLine {
  productId: string;
  quantity: number;
  product: Product;
}

export type PlaceOrder = Command<
  'PlaceOrder',
  { orderId: string; customerId: string; lines: PricedLine[]; shippingAddress: ShippingAddress },
  { now: Date }
>;

export const placeOrder = (command: PlaceOrder, state: Order): OrderPlaced => {
  if (state.status !== 'Empty') throw new IllegalStateError('Order already placed');
  const { orderId, customerId, shippingAddress } = command.data;
  let currency: string | undefined;
  const lines = command.data.lines.map(({ productId, quantity, product }): OrderLine => {
    if (product.status !== 'Listed') throw new IllegalStateError(`Product ${productId} does not exist`);
    if (product.stock < quantity) throw new IllegalStateError(`Product ${productId} is out of stock`);
    if (currency !== undefined && currency !== product.currency) throw new IllegalStateError('Products of one order share a currency');
    currency = product.currency;
    return { productId, quantity, unitPriceCents: product.priceCents };
  });
  if (currency === undefined) throw new IllegalStateError('An order has at least one line');
  const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  return {
    type: 'OrderPlaced',
    data: { orderId, customerId, lines, totalCents, currency, shippingAddress, placedAt: command.metadata.now.toISOString() },
  };
};
