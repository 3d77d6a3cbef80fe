import { shopRequests, type DeadLetterPage, type ProjectionName, type RedriveRequestResponse } from '@shop/client';
import { api, PAGE_SIZE, pagedByCursor } from '../api';

export const deadLettersApi = api.injectEndpoints({
  endpoints: (build) => ({
    // Read straight from the projector's table (never cached server-side): the page reads it again while it watches a
    // redrive, rather than through tags, since no write of ours changes it directly.
    listDeadLetters: build.infiniteQuery<DeadLetterPage, ProjectionName, string | null>({
      infiniteQueryOptions: pagedByCursor,
      query: ({ queryArg, pageParam }) => shopRequests.listDeadLetters({ projection: queryArg, limit: PAGE_SIZE, cursor: pageParam ?? undefined }),
    }),

    /** 202 `{ requestId }` at once; the projector redrives later (the list going empty is it done). */
    redriveProjection: build.mutation<RedriveRequestResponse, ProjectionName>({
      query: (projection) => shopRequests.redriveProjection(projection),
    }),
  }),
});

export const { useListDeadLettersInfiniteQuery, useRedriveProjectionMutation } = deadLettersApi;
