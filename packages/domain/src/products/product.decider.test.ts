import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '../shared/decider-spec.js';
import { decideProduct, evolveProduct, initialProductState, productStateFromJson, productStateToJson, Reservations, type CreateProduct, type ProductCommand, type ProductStateJson } from './product.decider.js';
import { ProductCreated, type ProductEvent } from './product.events.js';

const productId = '6f1c8c1e-6a51-4a8f-9a39-0c1f5a4b2d10';
const orderId = '2b7d1c3e-8f4a-4b6c-9d2e-1a3b5c7d9e01';
const otherOrderId = '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const create: CreateProduct = {
  type: 'CreateProduct',
  data: { productId, sku: 'MUG-1', name: 'Mug', description: 'A mug', priceCents: 1299, currency: 'EUR', initialStock: 5 },
};
const created: ProductEvent = { type: 'ProductCreated', data: { ...create.data } };
const discontinued: ProductEvent = { type: 'ProductDiscontinued', data: { productId } };
const reserved = (quantity: number, forOrder = orderId): ProductEvent => ({ type: 'StockReserved', data: { productId, orderId: forOrder, quantity } });

const change = (fields: { name?: string; description?: string; priceCents?: number; imageUrl?: string | null }): ProductCommand => ({
  type: 'ChangeProductDetails',
  data: { productId, ...fields },
});
const adjust = (delta: number): ProductCommand => ({ type: 'AdjustStock', data: { productId, delta, reason: 'stock-take' } });
const reserve = (quantity: number, forOrder = orderId): ProductCommand => ({ type: 'ReserveStock', data: { productId, orderId: forOrder, quantity } });
const release = (forOrder = orderId): ProductCommand => ({ type: 'ReleaseStock', data: { productId, orderId: forOrder } });
const discontinue: ProductCommand = { type: 'DiscontinueProduct', data: { productId } };

/** given(events) · when(command) · then(events | error) */
const given = deciderSpec({ decide: decideProduct, evolve: evolveProduct, initialState: initialProductState });

describe('product decider', () => {
  describe('CreateProduct', () => {
    it('creates a product that does not exist yet', () => {
      given([]).when(create).then([created]);
    });

    it('refuses to create a product twice', () => {
      given([created]).when(create).thenFails('product_already_exists');
    });

    it('refuses to create a discontinued product again', () => {
      given([created, discontinued]).when(create).thenFails('product_already_exists');
    });

    it('refuses negative initial stock', () => {
      given([]).when({ ...create, data: { ...create.data, initialStock: -1 } }).thenFails('invalid_quantity');
    });

    it('refuses fractional initial stock', () => {
      given([]).when({ ...create, data: { ...create.data, initialStock: 1.5 } }).thenFails('invalid_quantity');
    });

    it('evolves a created product into an active one with its stock available and nothing reserved', () => {
      expect(given([created]).state()).toEqual({
        status: 'active',
        productId,
        sku: 'MUG-1',
        name: 'Mug',
        description: 'A mug',
        priceCents: 1299,
        currency: 'EUR',
        imageUrl: null,
        available: 5,
        reservations: Reservations.none,
      });
    });

    it('creates a product with an image, carrying its address in ProductCreated', () => {
      const withImage: CreateProduct = { ...create, data: { ...create.data, imageUrl: '/images/mug.png' } };
      given([]).when(withImage).then([{ type: 'ProductCreated', data: { ...create.data, imageUrl: '/images/mug.png' } }]);
    });

    it('writes no imageUrl key at all for a product without an image, like the events written before images existed', () => {
      const [event] = decideProduct({ ...create, data: { ...create.data, imageUrl: undefined } }, initialProductState);
      expect(Object.keys(event!.data)).not.toContain('imageUrl');
    });

    it('reads back a ProductCreated written before products had images, as a product without one', () => {
      const old = ProductCreated.parse({ type: 'ProductCreated', data: { productId, sku: 'MUG-1', name: 'Mug', description: '', priceCents: 1, currency: 'EUR', initialStock: 0 } });
      expect(evolveProduct(initialProductState, old)).toMatchObject({ imageUrl: null });
    });

    it('refuses to read back a ProductCreated whose image address is not one', () => {
      expect(ProductCreated.safeParse({ type: 'ProductCreated', data: { ...create.data, imageUrl: 'javascript:alert(1)' } }).success).toBe(false);
    });
  });

  describe('ChangeProductDetails: the image', () => {
    const withImage: ProductEvent = { type: 'ProductImageChanged', data: { productId, imageUrl: 'https://cdn.example.com/mug.png' } };

    it('sets the image of a product that has none', () => {
      given([created]).when(change({ imageUrl: 'https://cdn.example.com/mug.png' })).then([withImage]);
    });

    it('replaces an image with another', () => {
      given([created, withImage]).when(change({ imageUrl: '/mug-2.png' })).then([{ type: 'ProductImageChanged', data: { productId, imageUrl: '/mug-2.png' } }]);
    });

    it('removes the image when imageUrl is null', () => {
      given([created, withImage]).when(change({ imageUrl: null })).then([{ type: 'ProductImageChanged', data: { productId, imageUrl: null } }]);
    });

    it('refuses an address that is not an http(s) URL or a root-relative path, on create and on change', () => {
      given([]).when({ ...create, data: { ...create.data, imageUrl: 'javascript:alert(1)' } }).thenFails('invalid_image_url');
      given([created]).when(change({ imageUrl: '//evil.example.com/x.png' })).thenFails('invalid_image_url');
    });

    it('records nothing when the image is the current one, or null on a product without one', () => {
      given([created, withImage]).when(change({ imageUrl: 'https://cdn.example.com/mug.png' })).then([]);
      given([created]).when(change({ imageUrl: null })).then([]);
    });

    it('records the image after the price when several fields change', () => {
      given([created])
        .when(change({ imageUrl: '/a.png', priceCents: 1 }))
        .then([{ type: 'ProductRepriced', data: { productId, priceCents: 1 } }, { type: 'ProductImageChanged', data: { productId, imageUrl: '/a.png' } }]);
    });

    it('evolves into the new image, and into none when it is removed', () => {
      expect(given([created, withImage]).state()).toMatchObject({ imageUrl: 'https://cdn.example.com/mug.png' });
      expect(given([created, withImage, { type: 'ProductImageChanged', data: { productId, imageUrl: null } }]).state()).toMatchObject({ imageUrl: null });
    });
  });

  describe('ChangeProductDetails', () => {
    it('renames a product whose name changes', () => {
      given([created]).when(change({ name: 'Big mug' })).then([{ type: 'ProductRenamed', data: { productId, name: 'Big mug' } }]);
    });

    it('redescribes a product whose description changes', () => {
      given([created])
        .when(change({ description: 'A big mug' }))
        .then([{ type: 'ProductRedescribed', data: { productId, description: 'A big mug' } }]);
    });

    it('reprices a product whose price changes', () => {
      given([created]).when(change({ priceCents: 1499 })).then([{ type: 'ProductRepriced', data: { productId, priceCents: 1499 } }]);
    });

    it('records one event per changed field, name then description then price', () => {
      given([created])
        .when(change({ priceCents: 999, name: 'Cup', description: 'A cup' }))
        .then([
          { type: 'ProductRenamed', data: { productId, name: 'Cup' } },
          { type: 'ProductRedescribed', data: { productId, description: 'A cup' } },
          { type: 'ProductRepriced', data: { productId, priceCents: 999 } },
        ]);
    });

    it('records only the fields that differ from the current ones', () => {
      given([created])
        .when(change({ name: 'Mug', description: 'A mug', priceCents: 1 }))
        .then([{ type: 'ProductRepriced', data: { productId, priceCents: 1 } }]);
    });

    it('records nothing when every given field equals the current one', () => {
      given([created]).when(change({ name: 'Mug', description: 'A mug', priceCents: 1299 })).then([]);
    });

    it('records nothing when no field is given', () => {
      given([created]).when(change({})).then([]);
    });

    it('refuses to change a product that does not exist', () => {
      given([]).when(change({ name: 'Cup' })).thenFails('product_not_found');
    });

    it('refuses to change a discontinued product', () => {
      given([created, discontinued]).when(change({ name: 'Cup' })).thenFails('product_discontinued');
    });

    it('evolves renamed, redescribed and repriced products into their new details', () => {
      const state = given([
        created,
        { type: 'ProductRenamed', data: { productId, name: 'Cup' } },
        { type: 'ProductRedescribed', data: { productId, description: 'A cup' } },
        { type: 'ProductRepriced', data: { productId, priceCents: 999 } },
      ]).state();
      expect(state).toMatchObject({ name: 'Cup', description: 'A cup', priceCents: 999 });
    });
  });

  describe('AdjustStock', () => {
    it('receives stock for a positive delta', () => {
      given([created]).when(adjust(3)).then([{ type: 'StockReceived', data: { productId, quantity: 3, reason: 'stock-take' } }]);
    });

    it('adjusts stock down for a negative delta within what is available', () => {
      given([created]).when(adjust(-2)).then([{ type: 'StockAdjusted', data: { productId, delta: -2, reason: 'stock-take' } }]);
    });

    it('lets the available stock go down to exactly zero', () => {
      given([created]).when(adjust(-5)).then([{ type: 'StockAdjusted', data: { productId, delta: -5, reason: 'stock-take' } }]);
    });

    it('refuses a decrease below zero', () => {
      given([created]).when(adjust(-6)).thenFails('insufficient_stock');
    });

    it('refuses to write off units reserved by an order', () => {
      given([created, reserved(3)]).when(adjust(-3)).thenFails('insufficient_stock');
    });

    it('refuses a zero delta', () => {
      given([created]).when(adjust(0)).thenFails('invalid_quantity');
    });

    it('refuses a fractional delta', () => {
      given([created]).when(adjust(0.5)).thenFails('invalid_quantity');
    });

    it('refuses to adjust the stock of a product that does not exist', () => {
      given([]).when(adjust(1)).thenFails('product_not_found');
    });

    it('refuses to adjust the stock of a discontinued product', () => {
      given([created, discontinued]).when(adjust(1)).thenFails('product_discontinued');
    });

    it('evolves received and adjusted stock into the available stock', () => {
      const state = given([
        created,
        { type: 'StockReceived', data: { productId, quantity: 4, reason: 'delivery' } },
        { type: 'StockAdjusted', data: { productId, delta: -2, reason: 'broken' } },
      ]).state();
      expect(state).toMatchObject({ available: 7 });
    });
  });

  describe('ReserveStock', () => {
    it('reserves available stock for an order', () => {
      given([created]).when(reserve(2)).then([reserved(2)]);
    });

    it('reserves the last available units', () => {
      given([created]).when(reserve(5)).then([reserved(5)]);
    });

    it('refuses to reserve more than is available', () => {
      given([created, reserved(4, otherOrderId)]).when(reserve(2)).thenFails('out_of_stock');
    });

    it('refuses to reserve zero units', () => {
      given([created]).when(reserve(0)).thenFails('invalid_quantity');
    });

    it('refuses to reserve a fractional quantity', () => {
      given([created]).when(reserve(1.5)).thenFails('invalid_quantity');
    });

    it('records nothing when the order already holds a reservation', () => {
      given([created, reserved(2)]).when(reserve(2)).then([]);
    });

    it('refuses to reserve a discontinued product', () => {
      given([created, discontinued]).when(reserve(1)).thenFails('product_discontinued');
    });

    it('refuses to reserve a product that does not exist', () => {
      given([]).when(reserve(1)).thenFails('product_not_found');
    });

    it('evolves a reservation by moving units from available to the order', () => {
      expect(given([created, reserved(2)]).state()).toMatchObject({ available: 3, reservations: Reservations.fromEntries([[orderId, 2]]) });
    });
  });

  describe('ReleaseStock', () => {
    it("releases an order's whole reservation", () => {
      given([created, reserved(2)])
        .when(release())
        .then([{ type: 'StockReleased', data: { productId, orderId, quantity: 2 } }]);
    });

    it('records nothing for an order that holds no reservation', () => {
      given([created, reserved(2, otherOrderId)]).when(release()).then([]);
    });

    it('records nothing for a reservation already released', () => {
      given([created, reserved(2), { type: 'StockReleased', data: { productId, orderId, quantity: 2 } }])
        .when(release())
        .then([]);
    });

    it('releases a reservation on a discontinued product', () => {
      given([created, reserved(2), discontinued])
        .when(release())
        .then([{ type: 'StockReleased', data: { productId, orderId, quantity: 2 } }]);
    });

    it('refuses to release stock of a product that does not exist', () => {
      given([]).when(release()).thenFails('product_not_found');
    });

    it('evolves a release by returning the units and forgetting the reservation', () => {
      const state = given([created, reserved(2), reserved(1, otherOrderId), { type: 'StockReleased', data: { productId, orderId, quantity: 2 } }]).state();
      expect(state).toMatchObject({ available: 4, reservations: Reservations.fromEntries([[otherOrderId, 1]]) });
    });
  });

  describe('DiscontinueProduct', () => {
    it('discontinues an active product', () => {
      given([created]).when(discontinue).then([discontinued]);
    });

    it('refuses to discontinue a product twice', () => {
      given([created, discontinued]).when(discontinue).thenFails('product_discontinued');
    });

    it('refuses to discontinue a product that does not exist', () => {
      given([]).when(discontinue).thenFails('product_not_found');
    });

    it('evolves a discontinued product keeping its stock and reservations', () => {
      expect(given([created, reserved(2), discontinued]).state()).toMatchObject({
        status: 'discontinued',
        available: 3,
        reservations: Reservations.fromEntries([[orderId, 2]]),
      });
    });
  });

  it('snapshots as JSON and reads back the same state, reservations included', () => {
    const state = given([created, reserved(2), reserved(1, otherOrderId)]).state();
    expect(productStateFromJson(JSON.parse(JSON.stringify(productStateToJson(state))) as ProductStateJson)).toEqual(state);
    expect(productStateFromJson(productStateToJson(initialProductState))).toEqual(initialProductState);
  });

  it('refuses to evolve an event that arrives before the product was created', () => {
    expect(() => evolveProduct(initialProductState, discontinued)).toThrow(/never created/);
  });
});
