import { shopRequests, type AuditEventPage, type AuditOrder, type VerifyResult } from '@shop/client';
import { api, pagedByCursor } from '../api';

export const AUDIT_PAGE_SIZE = 50;

export const auditApi = api.injectEndpoints({
  endpoints: (build) => ({
    /** The whole log from `queryArg` (a global position: events strictly after it), a page at a time. */
    auditEvents: build.infiniteQuery<AuditEventPage, string, string | null>({
      infiniteQueryOptions: pagedByCursor,
      query: ({ queryArg, pageParam }) => shopRequests.auditEvents({ after: pageParam ?? queryArg, limit: AUDIT_PAGE_SIZE }),
    }),

    /** One stream's events after stream version 0, a page at a time (`nextCursor` is the last version). */
    auditStream: build.infiniteQuery<AuditEventPage, string, string | null>({
      infiniteQueryOptions: pagedByCursor,
      query: ({ queryArg, pageParam }) => shopRequests.auditStream(queryArg, { after: pageParam ?? undefined, limit: AUDIT_PAGE_SIZE }),
    }),

    auditOrder: build.query<AuditOrder, { orderId: string; asOf?: string }>({
      query: ({ orderId, asOf }) => shopRequests.auditOrderAsOf(orderId, { asOf }),
    }),

    verifyLog: build.query<VerifyResult, void>({
      query: () => shopRequests.verifyAuditLog(),
    }),
  }),
});

export const { useAuditEventsInfiniteQuery, useAuditStreamInfiniteQuery, useLazyAuditOrderQuery, useLazyVerifyLogQuery } = auditApi;
