import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { acceptedRequestId } from './client-identity.js';
import { isWellFormedPercentEncoding, malformedUriProblem } from './hostile-input.js';
import { createServiceMetrics, readinessAnswer } from './operational.js';
import { OPERATIONAL_PATHS, toOpenApiPath, type RouteKey } from './openapi-routes.js';
import { failureProblem, PROBLEM_CONTENT_TYPE, ProblemError } from './problem.js';
import { UNMATCHED_ROUTE } from './request-metrics.js';
import { runInContext, startServerSpan } from '../observability/tracing.js';

/**
 * A read-only HTTP service on bare node:http: GET (and so HEAD) routes, /healthz, /readyz, /metrics, request ids,
 * the request-duration histogram and problem+json errors, as `createServiceApp` gives an express app, at a fraction
 * of express's cost per request (decision 0080: the query service's hot reads). Routes are plain async functions of
 * one `Exchange`; what express did with middleware (auth, read-your-writes) they call as functions, in order.
 */

/** One request as a route sees it. `params` are decoded; `query` is `node:querystring`'s (repeated keys: arrays). */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: ParsedUrlQuery;
  readonly requestId: string;
}

export type RouteHandler = (exchange: Exchange) => void | Promise<void>;

/** Where routes are added: what a use case's `*.http.ts` receives. */
export interface GetRoutes {
  /** `path` is express-style (`/api/products/:id`); matched case-insensitively, one trailing slash allowed (as express 5). */
  get(path: string, handler: RouteHandler): void;
}

export interface NodeHttpService extends GetRoutes {
  /** What `node:http`'s createServer (or `serve`) runs. */
  readonly listener: RequestListener;
  readonly registry: Registry;
  /** The routes served, OpenAPI-style, without the operational ones: what the OpenAPI conformance test compares. */
  routes(): RouteKey[];
}

export interface NodeHttpServiceOptions {
  service: string;
  logger: Logger;
  /** Resolves when every dependency the service needs answers; rejects (or returns a reason) otherwise. */
  readiness: () => Promise<string | undefined>;
  /** Set when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT): a server span per request, handlers run in its context. */
  tracer?: Tracer;
}

interface Route {
  readonly path: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: RouteHandler;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/api/orders/:id/diff` → a pattern with one group per parameter (a parameter is one non-empty path segment). */
function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return escapeRegExp(segment);
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`, 'i'), names };
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Answers `value` as JSON (what express's `res.json` did). */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.end(JSON.stringify(value));
}

/** Answers an already serialised JSON body (a cached entry): no parse, no stringify. */
export function sendJsonText(res: ServerResponse, body: string): void {
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.end(body);
}

/** Answers with a problem: its status, its headers, and its body as application/problem+json. */
export function writeProblem(res: ServerResponse, problem: ProblemError): void {
  res.statusCode = problem.status;
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.end(JSON.stringify(problem.toBody()));
}

const routeNotFound = (method: string | undefined, path: string): ProblemError =>
  new ProblemError(404, 'route_not_found', 'Not Found', `No route for ${method ?? ''} ${path}`);

export function createNodeHttpService(options: NodeHttpServiceOptions): NodeHttpService {
  const { registry, requestMetrics } = createServiceMetrics(options.service);
  const table: Route[] = [];
  const get = (path: string, handler: RouteHandler): void => {
    table.push({ path, handler, ...compile(path) });
  };

  /**
   * The one place errors become HTTP answers, as `problemHandler` on the express side: a ProblemError as it says;
   * the database out of reach a 503 with Retry-After (a warning); anything else a 500, logged with its stack.
   */
  const fail = (error: unknown, req: IncomingMessage, res: ServerResponse, path: string, requestId: string): void => {
    const known = error instanceof ProblemError ? error : undefined;
    const problem = known ?? failureProblem(error);
    if (!known && problem.status === 503) {
      options.logger.warn({ err: String((error as { message?: unknown }).message), method: req.method, path, requestId }, 'database unavailable');
    } else if (!known) {
      options.logger.error({ err: error, method: req.method, path, requestId }, 'unhandled error');
    }
    if (res.headersSent) return;
    writeProblem(res, problem);
  };

  const listener: RequestListener = (req, res) => {
    const started = process.hrtime.bigint();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const requestId = acceptedRequestId(req.headers['x-request-id'] as string | undefined);
    res.setHeader('X-Request-Id', requestId);
    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    if (req.method === 'GET' || req.method === 'HEAD') {
      for (const candidate of table) {
        match = candidate.pattern.exec(path);
        if (match) {
          route = candidate;
          break;
        }
      }
    }
    const label = route ? route.path : UNMATCHED_ROUTE;
    const span = options.tracer ? startServerSpan(options.tracer, req.method ?? '', req.headers) : undefined;
    res.once('finish', () => {
      const nanoseconds = process.hrtime.bigint() - started;
      requestMetrics.observe(label, req.method ?? '', res.statusCode, Number(nanoseconds) / 1e9);
      span?.end(label, res.statusCode);
      // One line per request at debug level (LOG_LEVEL=debug), in ECS, named by its X-Request-Id like every other line about it.
      if (options.logger.isLevelEnabled('debug')) {
        options.logger.debug(
          {
            'http.request.id': requestId,
            'http.request.method': req.method,
            'http.route': label,
            'url.path': path,
            'http.response.status_code': res.statusCode,
            'event.duration': Number(nanoseconds),
          },
          'request',
        );
      }
    });
    const respond = (): void => {
      try {
        // Before any route sees it: a percent-encoding that does not decode would otherwise throw in a parameter's decode.
        if (!isWellFormedPercentEncoding(url)) throw malformedUriProblem();
        if (!route || !match) throw routeNotFound(req.method, path);
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = decodeURIComponent(match[i + 1]!);
        });
        const query = queryAt === -1 ? {} : parseQueryString(url.slice(queryAt + 1));
        const answered = route.handler({ req, res, params, query, requestId });
        if (answered) answered.catch((error: unknown) => fail(error, req, res, path, requestId));
      } catch (error) {
        fail(error, req, res, path, requestId);
      }
    };
    // With tracing on, the route runs inside its server span (its context reaches what the route awaits).
    if (span) runInContext(span.context, respond);
    else respond();
  };

  get('/healthz', ({ res }) => sendJson(res, { status: 'ok', service: options.service }));
  get('/readyz', async ({ res, requestId }) => {
    const answer = await readinessAnswer(options, requestId);
    sendJson(res, answer.body, answer.status);
  });
  get('/metrics', async ({ res }) => {
    const text = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.end(text);
  });

  return {
    get,
    listener,
    registry,
    routes: () =>
      table
        .map((route) => ({ method: 'GET', path: toOpenApiPath(route.path) }))
        .filter((route) => !OPERATIONAL_PATHS.has(route.path))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}
