import { Histogram, type Registry } from 'prom-client';

/** The route label of a request no route matched: raw paths never become labels (one series per URL would grow without bound). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Per-route request metrics, framework-neutral: express, fastify or node:http code calls `observe` once per answered
 * request with the route *pattern* (`/api/products/:id`), never the raw path.
 */
export interface RequestMetrics {
  observe(route: string, method: string, status: number, seconds: number): void;
}

/** Buckets from 1 ms to 2.5 s: the alert on p99 (infra/prometheus/alerts.yml) sits at 0.5 s, well inside them. */
export const REQUEST_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** `http_request_duration_seconds{method, route, status}` in `registry` (its count is the request rate, by status the error rate). */
export function createRequestMetrics(registry: Registry): RequestMetrics {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: REQUEST_DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    observe(route, method, status, seconds) {
      duration.observe({ method, route, status: String(status) }, seconds);
    },
  };
}
