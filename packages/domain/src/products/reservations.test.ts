import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Reservations } from './reservations.js';

describe('Reservations', () => {
  it('behaves as an immutable map of order ids to units', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('with' as const), orderId: fc.uuid(), units: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ kind: fc.constant('without' as const), orderId: fc.uuid() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        let reservations = Reservations.none;
        const model = new Map<string, number>();
        for (const op of operations) {
          const before = [...reservations.entries()];
          const next = op.kind === 'with' ? reservations.with(op.orderId, op.units) : reservations.without(op.orderId);
          expect([...reservations.entries()]).toEqual(before); // the old value is untouched
          reservations = next;
          if (op.kind === 'with') model.set(op.orderId, op.units);
          else model.delete(op.orderId);
        }
        expect(reservations.size).toBe(model.size);
        expect(new Map(reservations.entries())).toEqual(model);
        for (const [orderId, units] of model) expect(reservations.unitsOf(orderId)).toBe(units);
        expect(reservations.totalUnits()).toBe([...model.values()].reduce((a, b) => a + b, 0));
        expect(Reservations.fromEntries(model)).toEqual(reservations);
      }),
    );
  });

  it('answers 0 units for an order that holds none, whatever its id', () => {
    for (const id of ['', '__proto__', 'constructor', 'x']) expect(Reservations.none.unitsOf(id)).toBe(0);
  });
});
