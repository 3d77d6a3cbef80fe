import { randomUUID } from 'node:crypto';
import {
  assertNotEmptyString,
  assertPositiveNumber,
  CommandHandler,
  ValidationError,
  type EventStore,
} from '@event-driven-io/emmett';
import { Created, on, type WebApiSetup } from '@event-driven-io/emmett-expressjs';
import type { Request, Router } from 'express';
import {
  createProduct,
  evolveOrder,
  evolveProduct,
  initialOrder,
  initialProduct,
  placeOrder,
  type CreateProduct,
  type PlaceOrder,
  type PricedLine,
  type ShippingAddress,
} from './orders.js';

const handleProduct = CommandHandler({ evolve: evolveProduct, initialState: initialProduct });
const handleOrder = CommandHandler({ evolve: evolveOrder, initialState: initialOrder });

const productStreamId = (productId: string): string => `product-${productId}`;
const orderStreamId = (orderId: string): string => `order-${orderId}`;

type CreateProductRequest = Request<unknown, unknown, Partial<Record<keyof CreateProduct['data'], unknown>>>;
type PlaceOrderRequest = Request<Partial<{ customerId: string }>, unknown, Partial<{ lines: unknown; shippingAddress: unknown }>>;

const optionalString = (value: unknown): string | undefined => (value === undefined ? undefined : assertNotEmptyString(value));

function assertShippingAddress(value: unknown): ShippingAddress {
  if (typeof value !== 'object' || value === null) throw new ValidationError('shippingAddress is required');
  const address = value as Partial<Record<keyof ShippingAddress, unknown>>;
  return {
    name: optionalString(address.name),
    line1: assertNotEmptyString(address.line1),
    line2: optionalString(address.line2),
    city: assertNotEmptyString(address.city),
    postalCode: assertNotEmptyString(address.postalCode),
    country: assertNotEmptyString(address.country),
  };
}

function assertLines(value: unknown): Array<{ productId: string; quantity: number }> {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('lines must be a non-empty array');
  return value.map((line: unknown) => {
    if (typeof line !== 'object' || line === null) throw new ValidationError('a line is { productId, quantity }');
    const { productId, quantity } = line as Partial<Record<'productId' | 'quantity', unknown>>;
    return { productId: assertNotEmptyString(productId), quantity: assertPositiveNumber(quantity) };
  });
}

export const shopApi =
  (eventStore: EventStore, getCurrentTime: () => Date): WebApiSetup =>
  (router: Router) => {
    // Create Product
    router.post(
      '/products',
      on(async (request: CreateProductRequest) => {
        const productId = randomUUID();
        const command: CreateProduct = {
          type: 'CreateProduct',
          data: {
            productId,
            sku: assertNotEmptyString(request.body.sku),
            name: assertNotEmptyString(request.body.name),
            description: typeof request.body.description === 'string' ? request.body.description : '',
            priceCents: assertPositiveNumber(request.body.priceCents),
            currency: assertNotEmptyString(request.body.currency),
            initialStock: assertPositiveNumber(request.body.initialStock),
          },
        };
        await handleProduct(eventStore, productStreamId(productId), (state) => createProduct(command, state));
        // emmett-expressjs answers { id: createdId } with a Location header.
        return Created({ createdId: productId });
      }),
    );

    // Place Order: the products' prices and stock are read here, the order's stream is the only one written.
    router.post(
      '/customers/:customerId/orders',
      on(async (request: PlaceOrderRequest) => {
        const customerId = assertNotEmptyString(request.params.customerId);
        const lines = assertLines(request.body.lines);
        const shippingAddress = assertShippingAddress(request.body.shippingAddress);
        const products = await Promise.all(
          lines.map(({ productId }) =>
            eventStore.aggregateStream(productStreamId(productId), { evolve: evolveProduct, initialState: initialProduct }),
          ),
        );
        const orderId = randomUUID();
        const command: PlaceOrder = {
          type: 'PlaceOrder',
          data: {
            orderId,
            customerId,
            lines: lines.map((line, i): PricedLine => ({ ...line, product: products[i]!.state })),
            shippingAddress,
          },
          metadata: { now: getCurrentTime() },
        };
        await handleOrder(eventStore, orderStreamId(orderId), (state) => placeOrder(command, state));
        return Created({ createdId: orderId });
      }),
    );
  };
