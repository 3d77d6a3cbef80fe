import { shopRequests, type AuditEventPage, type AuditOrder, type AuditOrderDiff, type VerifyResult } from '@shop/client';
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

    /** What changed in an order between two points (stream versions; `0` is before its first event). */
    auditOrderDiff: build.query<AuditOrderDiff, { orderId: string; from: string; to: string }>({
      query: ({ orderId, from, to }) => shopRequests.auditOrderDiff(orderId, { from, to }),
    }),

    /** Every hash chain recomputed; with an anchor (`position:digest`), the log's digest at its position checked too. */
    verifyLog: build.query<VerifyResult, { anchor?: string }>({
      query: ({ anchor }) => shopRequests.verifyAuditLog(anchor === undefined ? {} : { anchor }),
    }),
  }),
});

export const { useAuditEventsInfiniteQuery, useAuditStreamInfiniteQuery, useLazyAuditOrderDiffQuery, useLazyAuditOrderQuery, useLazyVerifyLogQuery } = auditApi;
