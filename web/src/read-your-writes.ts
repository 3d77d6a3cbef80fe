import type { UnknownAction } from '@reduxjs/toolkit';
import type { FetchBaseQueryMeta } from '@reduxjs/toolkit/query';
import { laterPosition } from '@shop/client';

const POSITION = /^\d{1,19}$/;

/**
 * The later of two Consistency-Tokens (global positions, as decimal strings): the session keeps the highest position
 * it has seen, so every read reflects every write it made (@shop/client's rule, as its own session client keeps it).
 */
export function laterToken(current: string | null, next: string | null): string | null {
  return laterPosition(current, next) ?? null;
}

interface FulfilledMutation {
  type: string;
  meta?: { arg?: { type?: string }; baseQueryMeta?: FetchBaseQueryMeta };
}

/**
 * The Consistency-Token a successful write answered, read from the fulfilled action of any mutation of the API
 * (`<reducerPath>/executeMutation/fulfilled`), so no endpoint can forget to store it.
 */
export function consistencyTokenOfWrite(action: UnknownAction, reducerPath: string): string | null {
  if (action.type !== `${reducerPath}/executeMutation/fulfilled`) return null;
  const { meta } = action as FulfilledMutation;
  const token = meta?.baseQueryMeta?.response?.headers.get('Consistency-Token') ?? null;
  return token !== null && POSITION.test(token) ? token : null;
}
