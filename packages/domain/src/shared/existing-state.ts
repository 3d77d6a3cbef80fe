/** What every aggregate's state is before its stream's first event. */
export type AbsentState = { status: 'absent' };

/**
 * For an aggregate's evolve: the state an event needs its aggregate to exist in. An event that arrives before the
 * stream's first event (OrderPlaced, ProductCreated) means the stream is corrupt, not that a command was wrong, so
 * it is a plain Error, never a DomainError; `neverCreated` words it for the event at hand.
 */
export const existingState =
  <State extends { status: string }, Event>(neverCreated: (event: Event) => string) =>
  (state: State, event: Event): Exclude<State, AbsentState> => {
    if (state.status === 'absent') throw new Error(neverCreated(event));
    return state as Exclude<State, AbsentState>;
  };
