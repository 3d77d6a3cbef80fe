import { isDeepStrictEqual } from 'node:util';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { holdsAfterEveryCommand, isPlainJson } from '../shared/decider-spec.js';
import {
  decideProduct,
  evolveProduct,
  initialProductState,
  productStateFromJson,
  productStateToJson,
  type ProductCommand,
  type ProductState,
  type ProductStateJson,
} from './product.decider.js';
import { ProductEvent } from './product.events.js';

const productId = '6f1c8c1e-6a51-4a8f-9a39-0c1f5a4b2d10';
const orderIds = [1, 2, 3, 4].map((n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);

const orderId = fc.constantFrom(...orderIds);
const create: fc.Arbitrary<ProductCommand> = fc
  .tuple(fc.integer({ min: -1, max: 20 }), fc.option(fc.constant('/thing.png'), { nil: undefined }))
  .map(([initialStock, imageUrl]) => ({
    type: 'CreateProduct',
    data: { productId, sku: 'SKU-1', name: 'Thing', description: '', priceCents: 100, currency: 'EUR', initialStock, ...(imageUrl ? { imageUrl } : {}) },
  }));
/** Weighted towards stock movements; discontinuing is rare because it ends them. */
const command: fc.Arbitrary<ProductCommand> = fc.oneof(
  { weight: 1, arbitrary: create },
  {
    weight: 2,
    arbitrary: fc
      .record(
        { name: fc.constantFrom('Thing', 'Other'), priceCents: fc.integer({ min: 0, max: 3 }), imageUrl: fc.constantFrom(null, '/a.png', 'https://cdn.example.com/b.png', 'ftp://not.an/image') },
        { requiredKeys: [] },
      )
      .map((fields): ProductCommand => ({ type: 'ChangeProductDetails', data: { productId, ...fields } })),
  },
  {
    weight: 5,
    arbitrary: fc.integer({ min: -15, max: 15 }).map((delta): ProductCommand => ({ type: 'AdjustStock', data: { productId, delta, reason: 'count' } })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({ orderId, quantity: fc.integer({ min: -1, max: 12 }) })
      .map((data): ProductCommand => ({ type: 'ReserveStock', data: { productId, ...data } })),
  },
  { weight: 4, arbitrary: orderId.map((id): ProductCommand => ({ type: 'ReleaseStock', data: { productId, orderId: id } })) },
  { weight: 2, arbitrary: orderId.map((id): ProductCommand => ({ type: 'FulfillReservation', data: { productId, orderId: id } })) },
  { weight: 1, arbitrary: fc.constant<ProductCommand>({ type: 'DiscontinueProduct', data: { productId } }) },
);

/** Mostly a created product followed by anything; sometimes anything at all, creation included or not. */
const commands: fc.Arbitrary<ProductCommand[]> = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(create, fc.array(command, { maxLength: 40, size: 'medium' })).map(([first, rest]) => [first, ...rest]) },
  { weight: 1, arbitrary: fc.array(command, { maxLength: 40, size: 'medium' }) },
);

/** Runs commands from no product at all, one after another, and tells whether `holds` after every one (see holdsAfterEveryCommand). */
const run = (commands: ProductCommand[], holds: (state: ProductState, history: readonly ProductEvent[], fresh: readonly ProductEvent[]) => boolean): boolean =>
  holdsAfterEveryCommand({ decide: decideProduct, evolve: evolveProduct, initialState: initialProductState }, [], commands, holds);

/**
 * What the stream says the stock on hand is: created + received + adjustments − shipped. Reservations don't change
 * it; a fulfilled reservation leaves with its order.
 */
const onHand = (history: readonly ProductEvent[]): number =>
  history.reduce((sum, event) => {
    switch (event.type) {
      case 'ProductCreated':
        return sum + event.data.initialStock;
      case 'StockReceived':
        return sum + event.data.quantity;
      case 'StockAdjusted':
        return sum + event.data.delta;
      case 'ReservationFulfilled':
        return sum - event.data.quantity;
      default:
        return sum;
    }
  }, 0);

describe('product decider properties', () => {
  it('keeps available stock at zero or more whatever the commands', () => {
    fc.assert(fc.property(commands, (sequence) => run(sequence, (state) => state.status === 'absent' || state.available >= 0)));
  });

  it('accounts for every unit: available plus reserved equals created plus received plus adjusted minus shipped', () => {
    fc.assert(
      fc.property(commands, (sequence) =>
        run(sequence, (state, history) => state.status === 'absent' || state.available + state.reservations.totalUnits() === onHand(history)),
      ),
    );
  });

  it('holds only positive whole reservations', () => {
    fc.assert(
      fc.property(commands, (sequence) =>
        run(sequence, (state) => state.status === 'absent' || [...state.reservations.entries()].every(([, quantity]) => Number.isInteger(quantity) && quantity > 0)),
      ),
    );
  });

  it('decides only events its schema accepts on read-back, into a state whose snapshot is plain JSON and reads back the same', () => {
    const snapshotRoundTrips = (state: ProductState): boolean => {
      const json = productStateToJson(state);
      return isPlainJson(json) && isDeepStrictEqual(productStateFromJson(JSON.parse(JSON.stringify(json)) as ProductStateJson), state);
    };
    fc.assert(
      fc.property(commands, (sequence) =>
        run(sequence, (state, _history, fresh) => snapshotRoundTrips(state) && fresh.every((event) => ProductEvent.safeParse(event).success)),
      ),
    );
  });
});
