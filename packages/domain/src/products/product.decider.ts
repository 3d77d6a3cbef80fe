import { assertNever } from '../shared/exhaustive.js';
import { DomainError } from '../shared/domain-error.js';
import { existingState } from '../shared/existing-state.js';
import type { Currency } from '../shared/money.js';
import { PRODUCT_EVENT_VERSIONS, ProductEvent } from './product.events.js';
import { imageUrlProblem } from './product-image.js';
import { Reservations } from './reservations.js';
import type { AggregateDecider } from '../shared/aggregate-decider.js';

export { Reservations };

/** What a product is created with and its state keeps: the catalog's facts about it. */
export type ProductDetails = {
  productId: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: Currency;
  /** Where the product's picture is (see imageUrlProblem); null: it has none. */
  imageUrl: string | null;
};

/**
 * `available` is the stock free for sale: reserved units are already subtracted, so `available + Σ reservations`
 * is the stock on hand. Invariant: `available >= 0`. Snapshots store the reservations as pairs
 * (`productStateToJson`).
 */
export type ExistingProductState = ProductDetails & {
  status: 'active' | 'discontinued';
  available: number;
  /** Units held per order id; an order holds at most one reservation per product. */
  reservations: Reservations;
};
export type ProductState = { status: 'absent' } | ExistingProductState;

export const initialProductState: ProductState = { status: 'absent' };

/**
 * Version of `ProductState`'s snapshot shape: bump it whenever the shape changes (2: reservations as pairs; 3: with
 * `imageUrl`). A snapshot of another version is ignored and the state rebuilt from the events.
 */
export const PRODUCT_STATE_VERSION = 3;

/** A product state as its snapshot stores it: plain JSON, reservations as `[orderId, units]` pairs. */
export type ProductStateJson = { status: 'absent' } | (Omit<ExistingProductState, 'reservations'> & { reservations: Array<[string, number]> });

export const productStateToJson = (state: ProductState): ProductStateJson =>
  state.status === 'absent' ? state : { ...state, reservations: [...state.reservations.entries()] };

/** The inverse of `productStateToJson`, for a snapshot written with PRODUCT_STATE_VERSION. */
export const productStateFromJson = (json: ProductStateJson): ProductState =>
  json.status === 'absent' ? json : { ...json, reservations: Reservations.fromEntries(json.reservations) };

/** `imageUrl` may be left out: a product without a picture. */
export type CreateProduct = {
  type: 'CreateProduct';
  data: Omit<ProductDetails, 'imageUrl'> & { imageUrl?: string; initialStock: number };
};

/** Absent fields stay as they are; fields equal to the current value are not a change; `imageUrl: null` removes the image. */
export type ChangeProductDetails = {
  type: 'ChangeProductDetails';
  data: { productId: string; name?: string; description?: string; priceCents?: number; imageUrl?: string | null };
};

/** A positive delta receives goods, a negative one corrects the count downwards. */
export type AdjustStock = {
  type: 'AdjustStock';
  data: { productId: string; delta: number; reason: string };
};

export type ReserveStock = {
  type: 'ReserveStock';
  data: { productId: string; orderId: string; quantity: number };
};

export type ReleaseStock = {
  type: 'ReleaseStock';
  data: { productId: string; orderId: string };
};

/** A shipped order's reservation is used up (the units left the warehouse). */
export type FulfillReservation = {
  type: 'FulfillReservation';
  data: { productId: string; orderId: string };
};

export type DiscontinueProduct = {
  type: 'DiscontinueProduct';
  data: { productId: string };
};

export type ProductCommand =
  | CreateProduct
  | ChangeProductDetails
  | AdjustStock
  | ReserveStock
  | ReleaseStock
  | FulfillReservation
  | DiscontinueProduct;

const isWholeNumber = (value: number, min: number): boolean => Number.isInteger(value) && value >= min;

/** The HTTP edge already refuses a bad address; this keeps one out of the log whatever the caller (it would never read back). */
function requireImageUrl(imageUrl: string | null | undefined): void {
  const problem = typeof imageUrl === 'string' ? imageUrlProblem(imageUrl) : undefined;
  if (problem !== undefined) throw new DomainError('invalid_image_url', `The image URL ${problem}`);
}

export const reservedFor = (state: ExistingProductState, orderId: string): number => state.reservations.unitsOf(orderId);

function requireProduct(state: ProductState, productId: string): ExistingProductState {
  if (state.status === 'absent') throw new DomainError('product_not_found', `Product ${productId} does not exist`);
  return state;
}

function requireActive(state: ProductState, productId: string): ExistingProductState {
  const product = requireProduct(state, productId);
  if (product.status === 'discontinued') throw new DomainError('product_discontinued', `Product ${productId} is discontinued`);
  return product;
}

/** Pure: the events a command produces from the current state, or the domain error that forbids it. */
export function decideProduct(command: ProductCommand, state: ProductState): ProductEvent[] {
  switch (command.type) {
    case 'CreateProduct': {
      if (state.status !== 'absent') {
        throw new DomainError('product_already_exists', `Product ${command.data.productId} already exists`);
      }
      if (!isWholeNumber(command.data.initialStock, 0)) {
        throw new DomainError('invalid_quantity', 'Initial stock must be a whole number of at least 0');
      }
      requireImageUrl(command.data.imageUrl);
      // Without an image the event has no `imageUrl` at all, exactly like the events written before images existed.
      const { imageUrl, ...details } = command.data;
      return [{ type: 'ProductCreated', data: imageUrl === undefined ? details : { ...details, imageUrl } }];
    }
    case 'ChangeProductDetails': {
      const { productId, name, description, priceCents, imageUrl } = command.data;
      const product = requireActive(state, productId);
      requireImageUrl(imageUrl);
      const events: ProductEvent[] = [];
      if (name !== undefined && name !== product.name) events.push({ type: 'ProductRenamed', data: { productId, name } });
      if (description !== undefined && description !== product.description) {
        events.push({ type: 'ProductRedescribed', data: { productId, description } });
      }
      if (priceCents !== undefined && priceCents !== product.priceCents) {
        events.push({ type: 'ProductRepriced', data: { productId, priceCents } });
      }
      if (imageUrl !== undefined && imageUrl !== product.imageUrl) events.push({ type: 'ProductImageChanged', data: { productId, imageUrl } });
      return events;
    }
    case 'AdjustStock': {
      const { productId, delta, reason } = command.data;
      const product = requireActive(state, productId);
      if (!Number.isInteger(delta) || delta === 0) {
        throw new DomainError('invalid_quantity', 'A stock adjustment must be a whole number other than 0');
      }
      if (delta > 0) return [{ type: 'StockReceived', data: { productId, quantity: delta, reason } }];
      // Reserved units are not ours to write off: only what is available can be corrected away.
      if (product.available + delta < 0) {
        throw new DomainError('insufficient_stock', `Product ${productId} has ${product.available} available, cannot remove ${-delta}`);
      }
      return [{ type: 'StockAdjusted', data: { productId, delta, reason } }];
    }
    case 'ReserveStock': {
      const { productId, orderId, quantity } = command.data;
      const product = requireProduct(state, productId);
      if (!isWholeNumber(quantity, 1)) throw new DomainError('invalid_quantity', 'A reservation must be a whole number of at least 1');
      // Idempotent: a retried reservation for the same order is already held, whatever has happened since.
      if (reservedFor(product, orderId) > 0) return [];
      if (product.status === 'discontinued') throw new DomainError('product_discontinued', `Product ${productId} is discontinued`);
      if (product.available < quantity) {
        throw new DomainError('out_of_stock', `Product ${productId} has ${product.available} available, ${quantity} requested`);
      }
      return [{ type: 'StockReserved', data: { productId, orderId, quantity } }];
    }
    case 'ReleaseStock': {
      const { productId, orderId } = command.data;
      // Allowed on a discontinued product: an order's units must always be able to come back.
      const product = requireProduct(state, productId);
      const quantity = reservedFor(product, orderId);
      return quantity > 0 ? [{ type: 'StockReleased', data: { productId, orderId, quantity } }] : [];
    }
    case 'FulfillReservation': {
      const { productId, orderId } = command.data;
      // Allowed on a discontinued product: orders placed before still ship.
      const product = requireProduct(state, productId);
      const quantity = reservedFor(product, orderId);
      return quantity > 0 ? [{ type: 'ReservationFulfilled', data: { productId, orderId, quantity } }] : [];
    }
    case 'DiscontinueProduct': {
      const { productId } = command.data;
      requireActive(state, productId);
      return [{ type: 'ProductDiscontinued', data: { productId } }];
    }
    default:
      return assertNever(command);
  }
}

const existing = existingState<ProductState, ProductEvent>((event) => `${event.type} cannot apply to product ${event.data.productId}: it was never created`);

export function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductCreated':
      if (state.status !== 'absent') throw new Error(`ProductCreated cannot apply to product ${event.data.productId}: it already exists`);
      return {
        status: 'active',
        productId: event.data.productId,
        sku: event.data.sku,
        name: event.data.name,
        description: event.data.description,
        priceCents: event.data.priceCents,
        currency: event.data.currency,
        imageUrl: event.data.imageUrl ?? null,
        available: event.data.initialStock,
        reservations: Reservations.none,
      };
    case 'ProductRenamed':
      return { ...existing(state, event), name: event.data.name };
    case 'ProductRedescribed':
      return { ...existing(state, event), description: event.data.description };
    case 'ProductRepriced':
      return { ...existing(state, event), priceCents: event.data.priceCents };
    case 'ProductImageChanged':
      return { ...existing(state, event), imageUrl: event.data.imageUrl };
    case 'StockReceived': {
      const product = existing(state, event);
      return { ...product, available: product.available + event.data.quantity };
    }
    case 'StockAdjusted': {
      const product = existing(state, event);
      return { ...product, available: product.available + event.data.delta };
    }
    case 'StockReserved': {
      const product = existing(state, event);
      const { orderId, quantity } = event.data;
      return {
        ...product,
        available: product.available - quantity,
        reservations: product.reservations.with(orderId, reservedFor(product, orderId) + quantity),
      };
    }
    case 'StockReleased': {
      const product = existing(state, event);
      return {
        ...product,
        available: product.available + event.data.quantity,
        reservations: product.reservations.without(event.data.orderId),
      };
    }
    case 'ReservationFulfilled': {
      const product = existing(state, event);
      return { ...product, reservations: product.reservations.without(event.data.orderId) };
    }
    case 'ProductDiscontinued':
      return { ...existing(state, event), status: 'discontinued' };
    default:
      return assertNever(event);
  }
}

/** The product aggregate's decider as one value (see AggregateDecider). */
export const productDecider: AggregateDecider<ProductCommand, ProductEvent, ProductState> = {
  initialState: initialProductState, evolve: evolveProduct, decide: decideProduct, events: ProductEvent, eventVersions: PRODUCT_EVENT_VERSIONS,
};
