import { createApi, retry, type BaseQueryFn, type FetchBaseQueryError, type FetchBaseQueryMeta } from '@reduxjs/toolkit/query/react';
import { exchange, ShopProblem, ShopResponseError, where, type ShopRequest } from '@shop/client';
import { isNotCaughtUp } from './problem';
import type { SessionState } from './session';

export const PAGE_SIZE = 20;

/** How often a read answered 503 `not_caught_up` is tried again (each try already waited ≈ 2 s on the server). */
const NOT_CAUGHT_UP_RETRIES = 2;

/**
 * Every endpoint's request goes through @shop/client (built by its `shopRequests`, sent and parsed by its `exchange`),
 * the API's one typed client. Its outcomes become RTK Query's: the parsed body, or a FetchBaseQueryError (a problem
 * with its status and body; a body that is not JSON; an answer outside the contract; no answer at all).
 */
const viaShopClient: BaseQueryFn<ShopRequest<unknown>, unknown, FetchBaseQueryError, object, FetchBaseQueryMeta> = async (request, { getState, type, signal }) => {
  const { auth, consistencyToken } = (getState() as { session: SessionState }).session;
  try {
    const sent = await exchange(
      {
        baseUrl: window.location.origin,
        fetch: (input) => fetch(input),
        token: auth?.token,
        // Read-your-writes: every read (queries and infinite queries alike) waits until the read model it is served
        // from has caught up with our latest write. Writes need no token: the command side is always current.
        consistencyToken: type !== 'mutation' ? (consistencyToken ?? undefined) : undefined,
        signal,
      },
      request,
    );
    return { data: sent.answer.body, meta: { request: sent.request, response: sent.response } };
  } catch (error) {
    return { error: asQueryError(error) };
  }
};

function asQueryError(error: unknown): FetchBaseQueryError {
  if (error instanceof ShopProblem) return { status: error.status, data: error.body };
  if (error instanceof ShopResponseError) {
    return error.kind === 'not_json'
      ? { status: 'PARSING_ERROR', originalStatus: error.status, data: error.text, error: error.message }
      : // An answer that does not match the contract becomes an ordinary, readable error.
        { status: 'CUSTOM_ERROR', error: `The server sent an answer this app does not understand${where(error.issues)}.`, data: error.issues };
  }
  return { status: 'FETCH_ERROR', error: String(error) };
}

/**
 * Reads that the server could not bring up to our Consistency-Token in time are retried a couple of times;
 * nothing else is, and writes never are: a write is retried only by the user (with the same Idempotency-Key
 * where there is one), who then knows it might have happened.
 */
const baseQuery = retry(viaShopClient, {
  retryCondition: (error, _args, { attempt, baseQueryApi }) =>
    baseQueryApi.type !== 'mutation' && attempt <= NOT_CAUGHT_UP_RETRIES && isNotCaughtUp(error as FetchBaseQueryError),
});

/** One API for the whole app; each area injects its endpoints (auth/, shop/, orders/, admin/, audit/, analytics/). */
export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes: ['Product', 'Order', 'Sales'],
  endpoints: () => ({}),
});

/** Every list answers `{ items, nextCursor }`: the next page is asked for with the cursor, and there is none after null. */
export const pagedByCursor = {
  initialPageParam: null,
  getNextPageParam: (lastPage: { nextCursor: string | null }) => lastPage.nextCursor,
};

/** The tags of a paged list of products or orders: the list itself, and each item it showed. */
export const listTags =
  <T extends 'Product' | 'Order'>(type: T) =>
  (data: { pages: Array<{ items: Array<{ id: string }> }> } | undefined) => [
    { type, id: 'LIST' },
    ...(data?.pages.flatMap((page) => page.items.map(({ id }) => ({ type, id }))) ?? []),
  ];
