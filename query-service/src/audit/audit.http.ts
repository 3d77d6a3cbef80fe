import { Router, type RequestHandler } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { verifyHashChains, type EventStore } from '@shop/kernel';
import { authenticate, parseOrThrow, ProblemError, requireRole, type TokenVerifier } from '@shop/service-kit';
import { readLogPage, readOrderAsOf, readStreamPage } from './audit.queries.js';
import { toVerifyResultView } from './audit.views.js';
import { AnchorText, PositionText, StreamIdText } from './audit.params.js';
import { AsOfText, describeAsOf } from './order-as-of.js';

const StreamParams = z.strictObject({ stream: StreamIdText });
const StreamQuery = z.strictObject({
  after: PositionText.default(0n),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
const LogQuery = StreamQuery;
const OrderParams = z.strictObject({ id: z.uuid().transform((id) => id.toLowerCase()) });
const OrderQuery = z.strictObject({ asOf: AsOfText.optional() });
const VerifyQuery = z.strictObject({ anchor: AnchorText.optional() });

export interface AuditRoutesDeps {
  store: EventStore;
  /** Verification is a set-based Postgres job (not an event-store port operation): it runs on the pool. */
  pool: pg.Pool;
  tokens: TokenVerifier;
  /** Read-your-writes against the store head (see store-head.ts). */
  fresh: RequestHandler;
  now?: () => Date;
}

/** `/api/audit/*`: the auditor's reads of the event store itself. Auditors only. */
export function auditRoutes(deps: AuditRoutesDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  // Who first, then wait for freshness: an anonymous caller must not hold a request open on the store head.
  const auditorOnly = [authenticate(deps.tokens), requireRole('auditor'), deps.fresh];

  router.get('/api/audit/streams/:stream', ...auditorOnly, async (req, res) => {
    const { stream } = parseOrThrow(StreamParams, req.params, 'stream id');
    const { after, limit } = parseOrThrow(StreamQuery, req.query, 'query string');
    const page = await readStreamPage(deps.store, stream, after, limit);
    if (!page) throw new ProblemError(404, 'stream_not_found', 'Stream not found', `No events in stream ${stream}`);
    res.json(page);
  });

  router.get('/api/audit/events', ...auditorOnly, async (req, res) => {
    const { after, limit } = parseOrThrow(LogQuery, req.query, 'query string');
    res.json(await readLogPage(deps.store, after, limit));
  });

  router.get('/api/audit/orders/:id', ...auditorOnly, async (req, res) => {
    const { id } = parseOrThrow(OrderParams, req.params, 'order id');
    const { asOf } = parseOrThrow(OrderQuery, req.query, 'query string');
    const order = await readOrderAsOf(deps.store, id, asOf ?? { kind: 'now' }, now());
    if (!order) {
      const when = asOf ? ` as of ${describeAsOf(asOf, now())}` : '';
      throw new ProblemError(404, 'order_not_found', 'Order not found', `No order ${id}${when}`);
    }
    res.json(order);
  });

  router.get('/api/audit/verify', ...auditorOnly, async (req, res) => {
    const { anchor } = parseOrThrow(VerifyQuery, req.query, 'query string');
    const verdict = await verifyHashChains(deps.pool, anchor ? { expectAnchor: anchor } : {});
    res.json(toVerifyResultView(verdict));
  });

  return router;
}
