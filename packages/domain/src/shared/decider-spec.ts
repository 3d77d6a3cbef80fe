import { expect } from '@jest/globals';
import { isDomainError, type DomainErrorCode } from './domain-error.js';

/** Test support, not exported from the package: the given(events) · when(command) · then(events | error) form. */
export interface Decider<Command, Event, State> {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
}

/** The error a thunk throws, or `undefined` when it returns normally. */
export function thrownBy(thunk: () => unknown): unknown {
  try {
    thunk();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Passes when the thunk throws a DomainError with `code`; otherwise reports what was thrown or returned instead. */
export function expectDomainError(thunk: () => unknown, code: DomainErrorCode): void {
  const error = thrownBy(thunk);
  expect(isDomainError(error) ? error.code : { notADomainError: error }).toBe(code);
}

export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return (events: Event[]) => {
    const state = () => events.reduce(decider.evolve, decider.initialState);
    return {
      state,
      when: (command: Command) => ({
        then: (expected: Event[]) => expect(decider.decide(command, state())).toEqual(expected),
        thenFails: (code: DomainErrorCode) => expectDomainError(() => decider.decide(command, state()), code),
      }),
    };
  };
}

/** Whether a value is plain JSON (what a snapshot can hold): no Map, Date, bigint, undefined, class instance or NaN. */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isPlainJson);
}
