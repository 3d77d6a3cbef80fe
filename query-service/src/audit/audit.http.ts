import type pg from 'pg';
import { z } from 'zod';
import { assertNever, orderStreamId } from '@shop/domain';
import { readStoreHead, verifyHashChains, type EventStore } from '@shop/kernel';
import { assertRole, parseOrThrow, ProblemError, sendJson, verifyBearer, type Exchange, type GetRoutes, type TokenVerifier } from '@shop/service-kit';
import type { Freshness } from '../read-your-writes/consistency.http.js';
import { readLogPage, readOrderAsOf, readStreamPage } from './audit.queries.js';
import { toVerifyResultView } from './audit.views.js';
import { AnchorText, PositionText, StreamIdText } from './audit.params.js';
import { AsOfText, describeAsOf } from './order-as-of.js';
import { exportRange, writeExport } from './event-export.js';
import { DiffFromText, diffOrder } from './order-diff.js';

const StreamParams = z.strictObject({ stream: StreamIdText });
const StreamQuery = z.strictObject({
  after: PositionText.default(0n),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
const LogQuery = StreamQuery;
const OrderParams = z.strictObject({ id: z.uuid().transform((id) => id.toLowerCase()) });
const OrderQuery = z.strictObject({ asOf: AsOfText.optional() });
const VerifyQuery = z.strictObject({ anchor: AnchorText.optional() });
const ExportQuery = z.strictObject({ after: PositionText.default(0n), to: PositionText.optional() });
const DiffQuery = z.strictObject({ from: DiffFromText.optional(), to: AsOfText.optional() });

export interface AuditRoutesDeps {
  store: EventStore;
  /** Verification is a set-based Postgres job (not an event-store port operation): it runs on the pool. */
  pool: pg.Pool;
  tokens: TokenVerifier;
  /** Read-your-writes against the store head (see store-head.ts). */
  fresh: Freshness;
  now?: () => Date;
  /** Events per read of the NDJSON export (default DEFAULT_EXPORT_BATCH). */
  exportBatchSize?: number;
}

/** Who first, then wait for freshness: an anonymous caller must not hold a request open on the store head. */
type AuditorOnly = (exchange: Exchange) => Promise<void>;

/** `/api/audit/*`: the auditor's reads of the event store itself. Auditors only. */
export function auditRoutes(routes: GetRoutes, deps: AuditRoutesDeps): void {
  const now = deps.now ?? (() => new Date());
  const auditorOnly: AuditorOnly = async (exchange) => {
    assertRole(await verifyBearer(deps.tokens, exchange.req.headers.authorization), ['auditor']);
    await deps.fresh(exchange);
  };

  routes.get('/api/audit/streams/:stream', async (exchange) => {
    await auditorOnly(exchange);
    const { stream } = parseOrThrow(StreamParams, exchange.params, 'stream id');
    const { after, limit } = parseOrThrow(StreamQuery, exchange.query, 'query string');
    const page = await readStreamPage(deps.store, stream, after, limit);
    if (!page) throw new ProblemError(404, 'stream_not_found', 'Stream not found', `No events in stream ${stream}`);
    sendJson(exchange.res, page);
  });

  routes.get('/api/audit/events', async (exchange) => {
    await auditorOnly(exchange);
    const { after, limit } = parseOrThrow(LogQuery, exchange.query, 'query string');
    sendJson(exchange.res, await readLogPage(deps.store, after, limit));
  });

  routes.get('/api/audit/orders/:id', async (exchange) => {
    await auditorOnly(exchange);
    const { id } = parseOrThrow(OrderParams, exchange.params, 'order id');
    const { asOf } = parseOrThrow(OrderQuery, exchange.query, 'query string');
    const order = await readOrderAsOf(deps.store, id, asOf ?? { kind: 'now' }, now());
    if (!order) {
      const when = asOf ? ` as of ${describeAsOf(asOf, now())}` : '';
      throw new ProblemError(404, 'order_not_found', 'Order not found', `No order ${id}${when}`);
    }
    sendJson(exchange.res, order);
  });

  routes.get('/api/audit/verify', async (exchange) => {
    await auditorOnly(exchange);
    const { anchor } = parseOrThrow(VerifyQuery, exchange.query, 'query string');
    const verdict = await verifyHashChains(deps.pool, anchor ? { expectAnchor: anchor } : {});
    sendJson(exchange.res, toVerifyResultView(verdict));
  });

  exportRoute(routes, deps, auditorOnly);
  diffRoute(routes, deps, auditorOnly, now);
}

/**
 * `GET /api/audit/events.ndjson?after=&to=`: the range streamed, one AuditEvent a line. `to` defaults to the store
 * head when the request starts (an export is a fixed range, not a tail), and is capped at it.
 */
function exportRoute(routes: GetRoutes, deps: AuditRoutesDeps, auditorOnly: AuditorOnly): void {
  routes.get('/api/audit/events.ndjson', async (exchange) => {
    await auditorOnly(exchange);
    const { res } = exchange;
    const query = parseOrThrow(ExportQuery, exchange.query, 'query string');
    if (query.to !== undefined && query.to < query.after) {
      throw new ProblemError(400, 'invalid_range', 'Invalid range', `to (${query.to}) is below after (${query.after})`);
    }
    const head = await readStoreHead(deps.pool);
    const range = exportRange(query.after, query.to, head);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/x-ndjson');
    res.setHeader('Cache-Control', 'no-store');
    // Tells nginx not to buffer this answer (it would otherwise spool up to 1 GB to disk): the client's own pace
    // then reaches the Postgres reads, end to end.
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('Content-Disposition', `attachment; filename="shop-events-${range.after}-${range.to}.ndjson"`);
    try {
      await writeExport(deps.store, range, res, deps.exportBatchSize ? { batchSize: deps.exportBatchSize } : {});
    } catch (error) {
      // The client hung up (the pipeline stopped reading): nothing to answer, nothing wrong on our side.
      if ((error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      // A read failed mid-stream: the status is already sent, so the only honest signal left is an aborted
      // response (the pipeline destroyed it: the client sees a truncated chunked body, never a complete-looking
      // file). The service's error handler logs the error.
      res.destroy();
      throw error;
    }
  });
}

/** `GET /api/audit/orders/:id/diff?from=&to=`: each field changed between the two points, and by which event. */
function diffRoute(routes: GetRoutes, deps: AuditRoutesDeps, auditorOnly: AuditorOnly, now: () => Date): void {
  routes.get('/api/audit/orders/:id/diff', async (exchange) => {
    await auditorOnly(exchange);
    const { id } = parseOrThrow(OrderParams, exchange.params, 'order id');
    const { from, to } = parseOrThrow(DiffQuery, exchange.query, 'query string');
    const at = now();
    const answer = diffOrder(await deps.store.readStream(orderStreamId(id)), from ?? { kind: 'version', version: 0n }, to ?? { kind: 'now' }, at);
    switch (answer.kind) {
      case 'diff':
        sendJson(exchange.res, answer.diff);
        return;
      case 'not_found':
        throw new ProblemError(404, 'order_not_found', 'Order not found', `No order ${id}${to ? ` as of ${describeAsOf(to, at)}` : ''}`);
      case 'reversed':
        throw new ProblemError(
          400,
          'invalid_range',
          'Invalid range',
          `from (version ${answer.fromVersion}) lies after to (version ${answer.toVersion}) in the order's stream`,
        );
      default:
        assertNever(answer);
    }
  });
}
