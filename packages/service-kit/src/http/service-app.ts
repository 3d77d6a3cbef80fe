import express, { type Express, type RequestHandler } from 'express';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_TRUSTED_PROXIES, parseTrustedProxies, requestId, requestIdOf, type TrustedProxies } from './client-identity.js';
import { rejectMalformedUri } from './hostile-input.js';
import { createServiceMetrics, readinessAnswer } from './operational.js';
import { notFoundRoute, problemHandler } from './problem.js';
import type { RequestMetrics } from './request-metrics.js';
import { correlationIdNoted, routeOf, traceRequests } from './request-tracing.js';

export interface ServiceApp {
  app: Express;
  registry: Registry;
  /** Per-route request metrics; the express middleware here feeds them, another HTTP layer of the service may too. */
  requestMetrics: RequestMetrics;
  /** Call after the routes are mounted: adds the JSON 404 and the problem+json error handler. */
  finish(): void;
}

export interface ServiceAppOptions {
  service: string;
  logger: Logger;
  /** Resolves when every dependency the service needs answers; rejects (or returns a reason) otherwise. */
  readiness: () => Promise<string | undefined>;
  /** Whose `X-Forwarded-For` to believe (TRUSTED_PROXIES); defaults to loopback and the compose network's ranges. */
  trustedProxies?: TrustedProxies;
  /** Set when tracing is on (startTracing): a server span per request. Absent: no tracing code runs per request. */
  tracer?: Tracer;
}

const defaultTrustedProxies = (): TrustedProxies => {
  const parsed = parseTrustedProxies(DEFAULT_TRUSTED_PROXIES);
  if (!parsed.ok) throw new Error('the default TRUSTED_PROXIES does not parse');
  return parsed.value;
};

/**
 * An express app with what every Shop service serves: /metrics, /healthz, /readyz, request metrics,
 * problem+json errors. Cheap on the hot path: one histogram observation per request, nothing else.
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // req.ip is the client as the gateway saw it, never an address the client wrote into X-Forwarded-For itself:
  // only the trusted hops' header is read (the gateways replace it with their peer's address).
  const trusted = options.trustedProxies ?? defaultTrustedProxies();
  app.set('trust proxy', trusted === false ? false : [...trusted]);

  const { registry, requestMetrics } = createServiceMetrics(options.service);

  const measure: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = routeOf(req);
      const nanoseconds = process.hrtime.bigint() - started;
      requestMetrics.observe(route, req.method, res.statusCode, Number(nanoseconds) / 1e9);
      // One line per request at debug level (LOG_LEVEL=debug), in ECS, named by its X-Request-Id like every other line
      // about it, and by the correlation id its events carry (commands).
      if (options.logger.isLevelEnabled('debug')) {
        const correlationId = correlationIdNoted(res);
        options.logger.debug(
          {
            'http.request.id': requestIdOf(res),
            'http.request.method': req.method,
            'http.route': route,
            'url.path': req.path,
            'http.response.status_code': res.statusCode,
            'event.duration': Number(nanoseconds),
            ...(correlationId === undefined ? {} : { 'labels.correlation_id': correlationId }),
          },
          'request',
        );
      }
    });
    next();
  };
  if (options.tracer) app.use(traceRequests(options.tracer));
  app.use(measure, requestId, rejectMalformedUri);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  app.get('/readyz', async (_req, res) => {
    const answer = await readinessAnswer(options, requestIdOf(res));
    res.status(answer.status).json(answer.body);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  return {
    app,
    registry,
    requestMetrics,
    finish() {
      app.use(notFoundRoute);
      app.use(problemHandler(options.logger));
    },
  };
}
