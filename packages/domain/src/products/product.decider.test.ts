import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../shared/domain-error.js';
import { decideProduct, evolveProduct, initialProductState, type ProductCommand } from './product.decider.js';
import type { ProductEvent } from './product.events.js';

const productId = '6f1c8c1e-6a51-4a8f-9a39-0c1f5a4b2d10';
const create: ProductCommand = {
  type: 'CreateProduct',
  data: { productId, sku: 'MUG-1', name: 'Mug', description: 'A mug', priceCents: 1299, currency: 'EUR', initialStock: 5 },
};

/** given(events) · when(command) · then(events | error) */
const given = (events: ProductEvent[]) => ({
  when: (command: ProductCommand) => () => decideProduct(command, events.reduce(evolveProduct, initialProductState)),
});

describe('product decider', () => {
  it('creates a product that does not exist yet', () => {
    expect(given([]).when(create)()).toEqual([{ type: 'ProductCreated', data: create.data }]);
  });

  it('refuses to create a product twice', () => {
    const [created] = given([]).when(create)();
    expect(given([created!]).when(create)).toThrow(new DomainError('product_already_exists', `Product ${productId} already exists`));
  });

  it('refuses negative initial stock', () => {
    const negative: ProductCommand = { ...create, data: { ...create.data, initialStock: -1 } };
    expect(given([]).when(negative)).toThrow(new DomainError('invalid_stock', 'Initial stock must be a whole number of at least 0'));
  });

  it('evolves a created product into an active one with its stock', () => {
    const state = evolveProduct(initialProductState, { type: 'ProductCreated', data: create.data });
    expect(state).toEqual({ status: 'active', productId, sku: 'MUG-1', priceCents: 1299, currency: 'EUR', stock: 5 });
  });
});
