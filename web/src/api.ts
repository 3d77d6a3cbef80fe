import { createApi, fetchBaseQuery, retry } from '@reduxjs/toolkit/query/react';
import type { FetchBaseQueryError, NamedSchemaError } from '@reduxjs/toolkit/query';
import { isNotCaughtUp } from './problem';
import type { SessionState } from './session';

export const PAGE_SIZE = 20;

/** How often a read answered 503 `not_caught_up` is tried again (each try already waited ≈ 2 s on the server). */
const NOT_CAUGHT_UP_RETRIES = 2;

const fetchJson = fetchBaseQuery({
  baseUrl: '/api',
  prepareHeaders(headers, { getState, type }) {
    const { auth, consistencyToken } = (getState() as { session: SessionState }).session;
    if (auth) headers.set('Authorization', `Bearer ${auth.token}`);
    // Read-your-writes: every read (queries and infinite queries alike) waits until the read model it is served
    // from has caught up with our latest write. Writes need no token: the command side is always current.
    if (type !== 'mutation' && consistencyToken) headers.set('Consistency-Token', consistencyToken);
    return headers;
  },
});

/**
 * Reads that the server could not bring up to our Consistency-Token in time are retried a couple of times;
 * nothing else is, and writes never are: a write is retried only by the user (with the same Idempotency-Key
 * where there is one), who then knows it might have happened.
 */
const baseQuery = retry(fetchJson, {
  retryCondition: (error, _args, { attempt, baseQueryApi }) =>
    baseQueryApi.type !== 'mutation' && attempt <= NOT_CAUGHT_UP_RETRIES && isNotCaughtUp(error as FetchBaseQueryError),
});

/** A response that does not match the contract becomes an ordinary, readable error. */
function schemaFailure(error: NamedSchemaError): FetchBaseQueryError {
  const issue = error.issues[0];
  const where = issue?.path?.length ? ` at ${issue.path.map((part) => (typeof part === 'object' ? String(part.key) : String(part))).join('.')}` : '';
  return { status: 'CUSTOM_ERROR', error: `The server sent an answer this app does not understand${where}.`, data: error.issues };
}

/** One API for the whole app; each area injects its endpoints (auth/, shop/, orders/, admin/, audit/, analytics/). */
export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes: ['Product', 'Order', 'Sales'],
  catchSchemaFailure: schemaFailure,
  endpoints: () => ({}),
});
