import { api } from '../api';
import { AuditEventPage, AuditOrder, VerifyResult } from '../contract';

export const AUDIT_PAGE_SIZE = 50;

export const auditApi = api.injectEndpoints({
  endpoints: (build) => ({
    /** The whole log from `queryArg` (a global position: events strictly after it), a page at a time. */
    auditEvents: build.infiniteQuery<AuditEventPage, string, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.nextCursor,
      },
      query: ({ queryArg, pageParam }) => ({ url: 'audit/events', params: { after: pageParam ?? queryArg, limit: AUDIT_PAGE_SIZE } }),
      responseSchema: AuditEventPage,
    }),

    /** One stream's events after stream version 0, a page at a time (`nextCursor` is the last version). */
    auditStream: build.infiniteQuery<AuditEventPage, string, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.nextCursor,
      },
      query: ({ queryArg, pageParam }) => ({
        url: `audit/streams/${encodeURIComponent(queryArg)}`,
        params: { after: pageParam ?? undefined, limit: AUDIT_PAGE_SIZE },
      }),
      responseSchema: AuditEventPage,
    }),

    auditOrder: build.query<AuditOrder, { orderId: string; asOf?: string }>({
      query: ({ orderId, asOf }) => ({ url: `audit/orders/${encodeURIComponent(orderId)}`, params: { asOf } }),
      responseSchema: AuditOrder,
    }),

    verifyLog: build.query<VerifyResult, void>({
      query: () => 'audit/verify',
      responseSchema: VerifyResult,
    }),
  }),
});

export const { useAuditEventsInfiniteQuery, useAuditStreamInfiniteQuery, useLazyAuditOrderQuery, useLazyVerifyLogQuery } = auditApi;
