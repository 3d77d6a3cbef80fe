import { describe, expect, it } from '@jest/globals';
import { expectDomainError } from '../shared/decider-spec.js';
import { decideProduct, evolveProduct, initialProductState, type ProductState } from '../products/product.decider.js';
import type { ProductEvent } from '../products/product.events.js';
import { evolveOrder, initialOrderState, type OrderState, type OrderStatus } from './order.decider.js';
import { decidePlaceOrder, releaseForCancelledOrder, stockCommandsFor, type PlaceOrder } from './order-stock.decider.js';
import { OrderEvent } from './order.events.js';

const orderId = '2b7d1c3e-8f4a-4b6c-9d2e-1a3b5c7d9e01';
const customerId = '0d6f2c4a-1b3e-4c5d-8e7f-9a0b1c2d3e4f';
const mugId = '6f1c8c1e-6a51-4a8f-9a39-0c1f5a4b2d10';
const teaId = '7a2d9d2f-7b62-4b9a-8b4a-1d2a6b5c3e21';
const at = '2025-03-01T10:00:00.000Z';
const shippingAddress = { name: 'Ada', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

const product = (productId: string, fields: { priceCents: number; stock: number; currency?: 'EUR' | 'USD' }, ...later: ProductEvent[]): ProductState =>
  [
    {
      type: 'ProductCreated',
      data: {
        productId,
        sku: productId === mugId ? 'MUG-1' : 'TEA-1',
        name: productId === mugId ? 'Mug' : 'Tea',
        description: '',
        priceCents: fields.priceCents,
        currency: fields.currency ?? 'EUR',
        initialStock: fields.stock,
      },
    } satisfies ProductEvent,
    ...later,
  ].reduce(evolveProduct, initialProductState);

const catalog = { [mugId]: product(mugId, { priceCents: 1299, stock: 5 }), [teaId]: product(teaId, { priceCents: 450, stock: 10 }) };

const place = (lines: { productId: string; quantity: number }[]): PlaceOrder => ({
  type: 'PlaceOrder',
  data: { orderId, customerId, lines, shippingAddress, placedAt: at },
});
const mugs = (quantity: number) => ({ productId: mugId, quantity });
const teas = (quantity: number) => ({ productId: teaId, quantity });

describe('decidePlaceOrder', () => {
  it('places an order priced from the catalog and reserves every line', () => {
    expect(decidePlaceOrder(place([mugs(2), teas(3)]), catalog)).toEqual({
      orderEvents: [
        {
          type: 'OrderPlaced',
          data: {
            orderId,
            customerId,
            lines: [
              { productId: mugId, sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 1299, lineTotalCents: 2598 },
              { productId: teaId, sku: 'TEA-1', name: 'Tea', quantity: 3, unitPriceCents: 450, lineTotalCents: 1350 },
            ],
            currency: 'EUR',
            totalCents: 3948,
            shippingAddress,
            placedAt: at,
          },
        },
      ],
      productEvents: {
        [mugId]: [{ type: 'StockReserved', data: { productId: mugId, orderId, quantity: 2 } }],
        [teaId]: [{ type: 'StockReserved', data: { productId: teaId, orderId, quantity: 3 } }],
      },
    });
  });

  it('writes an OrderPlaced that its own schema accepts on read-back', () => {
    const [placed] = decidePlaceOrder(place([mugs(1)]), catalog).orderEvents;
    expect(OrderEvent.parse(placed)).toEqual(placed);
  });

  it("prices a line at the product's current price", () => {
    const repriced = { [mugId]: product(mugId, { priceCents: 1299, stock: 5 }, { type: 'ProductRepriced', data: { productId: mugId, priceCents: 999 } }) };
    const [placed] = decidePlaceOrder(place([mugs(2)]), repriced).orderEvents;
    expect(placed?.type === 'OrderPlaced' && placed.data.totalCents).toBe(1998);
  });

  it('accepts the largest quantity a line allows', () => {
    const warehouse = { [teaId]: product(teaId, { priceCents: 450, stock: 1000 }) };
    expect(decidePlaceOrder(place([teas(1000)]), warehouse).productEvents[teaId]).toEqual([
      { type: 'StockReserved', data: { productId: teaId, orderId, quantity: 1000 } },
    ]);
  });

  it('does not reserve twice a product this order already holds', () => {
    const holding = { [mugId]: product(mugId, { priceCents: 1299, stock: 5 }, { type: 'StockReserved', data: { productId: mugId, orderId, quantity: 2 } }) };
    expect(decidePlaceOrder(place([mugs(2)]), holding).productEvents).toEqual({ [mugId]: [] });
  });

  it('refuses to place an order that already exists', () => {
    const existing = decidePlaceOrder(place([mugs(1)]), catalog).orderEvents.reduce(evolveOrder, initialOrderState);
    expectDomainError(() => decidePlaceOrder(place([mugs(1)]), catalog, existing), 'order_already_exists');
  });

  it('refuses an order without lines', () => {
    expectDomainError(() => decidePlaceOrder(place([]), catalog), 'empty_order');
  });

  it('refuses an order with the same product on two lines', () => {
    expectDomainError(() => decidePlaceOrder(place([mugs(1), teas(1), mugs(2)]), catalog), 'duplicate_order_line');
  });

  it('refuses a line of zero units', () => {
    expectDomainError(() => decidePlaceOrder(place([mugs(0)]), catalog), 'invalid_quantity');
  });

  it('refuses a line of more than 1000 units', () => {
    expectDomainError(() => decidePlaceOrder(place([teas(1001)]), catalog), 'invalid_quantity');
  });

  it('refuses a line of a fractional quantity', () => {
    expectDomainError(() => decidePlaceOrder(place([teas(1.5)]), catalog), 'invalid_quantity');
  });

  it('refuses a product the catalog does not hold', () => {
    expectDomainError(() => decidePlaceOrder(place([mugs(1)]), { [teaId]: catalog[teaId] }), 'product_not_found');
  });

  it('refuses a product whose stream is absent', () => {
    expectDomainError(() => decidePlaceOrder(place([mugs(1)]), { [mugId]: initialProductState }), 'product_not_found');
  });

  it('refuses products priced in different currencies', () => {
    const mixed = { ...catalog, [teaId]: product(teaId, { priceCents: 450, stock: 10, currency: 'USD' }) };
    expectDomainError(() => decidePlaceOrder(place([mugs(1), teas(1)]), mixed), 'currency_mismatch');
  });

  it('refuses the whole order when one line is short of stock', () => {
    expectDomainError(() => decidePlaceOrder(place([teas(1), mugs(6)]), catalog), 'out_of_stock');
  });

  it('refuses a discontinued product', () => {
    const gone = { ...catalog, [mugId]: product(mugId, { priceCents: 1299, stock: 5 }, { type: 'ProductDiscontinued', data: { productId: mugId } }) };
    expectDomainError(() => decidePlaceOrder(place([teas(1), mugs(1)]), gone), 'product_discontinued');
  });
});

describe('releaseForCancelledOrder', () => {
  const placed = decidePlaceOrder(place([mugs(2), teas(3)]), catalog);
  const cancelledOrder = [...placed.orderEvents, { type: 'OrderCancelled', data: { orderId, cancelledAt: at } } satisfies OrderEvent].reduce(
    evolveOrder,
    initialOrderState,
  );

  it('gives one ReleaseStock per line of a cancelled order', () => {
    expect(releaseForCancelledOrder(cancelledOrder)).toEqual([
      { type: 'ReleaseStock', data: { productId: mugId, orderId } },
      { type: 'ReleaseStock', data: { productId: teaId, orderId } },
    ]);
  });

  it("returns every reserved unit to the products' available stock", () => {
    const reservedMug = placed.productEvents[mugId]!.reduce(evolveProduct, catalog[mugId]);
    const [releaseMug] = releaseForCancelledOrder(cancelledOrder);
    const releasedMug = decideProduct(releaseMug!, reservedMug).reduce(evolveProduct, reservedMug);
    expect(releasedMug).toEqual(catalog[mugId]);
  });

  it('refuses to release the stock of an order that is not cancelled', () => {
    const open = placed.orderEvents.reduce(evolveOrder, initialOrderState);
    expectDomainError(() => releaseForCancelledOrder(open), 'illegal_transition');
  });

  it('refuses to release the stock of an order that does not exist', () => {
    expectDomainError(() => releaseForCancelledOrder(initialOrderState), 'order_not_found');
  });
});

describe('stockCommandsFor (the product side of an order transition)', () => {
  const orderId = '3b0c6a1e-8c8f-4c55-9f0e-4c1a2b3c4d5e';
  const productA = '5a1f7c3e-2b4d-4e6f-8a9b-0c1d2e3f4a5b';
  const productB = '6b2e8d4f-3c5e-4f7a-9b0c-1d2e3f4a5b6c';
  const order = (status: OrderStatus, paid = false): OrderState => ({
    status,
    orderId,
    customerId: '7c3f9e5a-4d6f-4a8b-8c1d-2e3f4a5b6c7d',
    lines: [productA, productB].map((productId) => ({ productId, sku: 'S', name: 'N', quantity: 1, unitPriceCents: 100, lineTotalCents: 100 })),
    currency: 'EUR',
    totalCents: 200,
    shippingAddress: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    placedAt: '2026-11-24T10:00:00Z',
    paid,
  });
  const products = (commands: Array<{ type: string; data: { productId: string } }>) => commands.map((c) => [c.type, c.data.productId]);

  it('releases every line when an order is cancelled', () => {
    expect(products(stockCommandsFor(order('placed'), order('cancelled')))).toEqual([['ReleaseStock', productA], ['ReleaseStock', productB]]);
  });

  it('fulfils every reservation when an order ships', () => {
    expect(products(stockCommandsFor(order('paid', true), order('shipped', true)))).toEqual([
      ['FulfillReservation', productA],
      ['FulfillReservation', productB],
    ]);
  });

  it('releases the stock of an order refunded before it shipped', () => {
    expect(products(stockCommandsFor(order('paid', true), order('refunded', true)))).toEqual([['ReleaseStock', productA], ['ReleaseStock', productB]]);
  });

  it('touches no product when a shipped or cancelled order is refunded, or an order is paid', () => {
    expect(stockCommandsFor(order('shipped', true), order('refunded', true))).toEqual([]);
    expect(stockCommandsFor(order('cancelled', true), order('refunded', true))).toEqual([]);
    expect(stockCommandsFor(order('placed'), order('paid', true))).toEqual([]);
  });
});
