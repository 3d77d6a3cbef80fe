import type { RequestHandler, Response } from 'express';
import type { Tracer } from '@opentelemetry/api';
import { runInContext, startServerSpan, traceparentOf } from '../observability/tracing.js';
import { UNMATCHED_ROUTE } from './request-metrics.js';

const TRACEPARENT_LOCAL = 'traceparent';
const CORRELATION_ID_LOCAL = 'correlationId';

/** The route a request matched, as metrics and spans name it (`/api/products/:id`), or `unmatched`. */
/** The matched route's pattern (`/api/products/:id`) under its router's base path; UNMATCHED_ROUTE when none matched. */
export const routeOf = (req: { baseUrl: string; route?: unknown }): string => {
  const matched = (req.route as { path?: string } | undefined)?.path;
  return matched === undefined ? UNMATCHED_ROUTE : `${req.baseUrl}${matched}`;
};

/**
 * The express adapter of startServerSpan: one server span per request, the handler run in its context, and the span's
 * `traceparent` kept on the response, where a command reads it into its events' metadata (the relay continues the
 * trace from there). Kept on the response rather than read from the active context: body parsing resumes the handler
 * from the socket's callbacks, outside the context this middleware entered.
 */
export const traceRequests =
  (tracer: Tracer): RequestHandler =>
  (req, res, next) => {
    const request = startServerSpan(tracer, req.method, req.headers);
    res.locals[TRACEPARENT_LOCAL] = traceparentOf(request.span);
    res.on('finish', () => request.end(routeOf(req), res.statusCode));
    runInContext(request.context, next);
  };

/** The W3C `traceparent` of this request's server span; undefined when tracing is off. */
export const traceparentOfRequest = (res: Response): string | undefined => res.locals[TRACEPARENT_LOCAL] as string | undefined;

/** Records the correlation id a command gave its events, for the request's log line. */
export const noteCorrelationId = (res: Response, correlationId: string): void => {
  res.locals[CORRELATION_ID_LOCAL] = correlationId;
};

/** The correlation id a command noted on this request, if any. */
export const correlationIdNoted = (res: Response): string | undefined => res.locals[CORRELATION_ID_LOCAL] as string | undefined;
