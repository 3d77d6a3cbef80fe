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

/**
 * Runs commands one after another from the state `history` leaves (refused ones change nothing, as in the command
 * service) and tells whether `holds` is true after every one of them, given the state, every event so far and the
 * events the command just decided. Plain booleans rather than expect() keep a run to microseconds; fast-check
 * reports the shrunk command sequence that breaks it.
 */
export function holdsAfterEveryCommand<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  history: readonly Event[],
  commands: readonly Command[],
  holds: (state: State, history: readonly Event[], fresh: readonly Event[]) => boolean,
): boolean {
  let state = history.reduce(decider.evolve, decider.initialState);
  const sofar = [...history];
  for (const command of commands) {
    let events: Event[] = [];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
    for (const event of events) {
      state = decider.evolve(state, event);
      sofar.push(event);
    }
    if (!holds(state, sofar, events)) return false;
  }
  return true;
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
