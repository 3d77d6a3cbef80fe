import { assertNever } from '../shared/exhaustive.js';
import { DomainError } from '../shared/domain-error.js';
import type { Currency } from '../shared/money.js';
import type { ProductEvent } from './product.events.js';

export type ProductState =
  | { status: 'absent' }
  | { status: 'active'; productId: string; sku: string; priceCents: number; currency: Currency; stock: number };

export const initialProductState: ProductState = { status: 'absent' };

export type CreateProduct = {
  type: 'CreateProduct';
  data: {
    productId: string;
    sku: string;
    name: string;
    description: string;
    priceCents: number;
    currency: Currency;
    initialStock: number;
  };
};

export type ProductCommand = CreateProduct;

/** Pure: the events a command produces from the current state, or the domain error that forbids it. */
export function decideProduct(command: ProductCommand, state: ProductState): ProductEvent[] {
  switch (command.type) {
    case 'CreateProduct': {
      if (state.status !== 'absent') {
        throw new DomainError('product_already_exists', `Product ${command.data.productId} already exists`);
      }
      if (!Number.isInteger(command.data.initialStock) || command.data.initialStock < 0) {
        throw new DomainError('invalid_stock', 'Initial stock must be a whole number of at least 0');
      }
      return [{ type: 'ProductCreated', data: { ...command.data } }];
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductCreated':
      return {
        status: 'active',
        productId: event.data.productId,
        sku: event.data.sku,
        priceCents: event.data.priceCents,
        currency: event.data.currency,
        stock: event.data.initialStock,
      };
    default:
      return assertNever(event.type);
  }
}
