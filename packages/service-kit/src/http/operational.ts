import type { Logger } from 'pino';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * What every Shop service measures, whatever serves its HTTP (express on the command side, the node:http router of
 * the query service): the process's default metrics and one request-duration histogram, labelled by the route's
 * pattern (`/api/products/:id`, `unmatched`), never by the raw path.
 */
export interface ServiceMetrics {
  registry: Registry;
  duration: Histogram<'method' | 'route' | 'status'>;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, duration };
}

/** The answer of `GET /readyz`: 200 when `readiness` resolves without a reason, else 503 naming the reason. */
export async function readinessAnswer(
  options: { service: string; logger: Logger; readiness: () => Promise<string | undefined> },
  requestId: string | undefined,
): Promise<{ status: number; body: Record<string, string> }> {
  const problem = await options.readiness().catch((error: unknown) => {
    // The error's text (hosts, users, SQL) goes to the log only: /readyz is reachable by anyone who reaches the service.
    options.logger.warn({ err: error, requestId }, 'not ready');
    return 'a dependency is not answering';
  });
  return problem === undefined
    ? { status: 200, body: { status: 'ready', service: options.service } }
    : { status: 503, body: { status: 'not_ready', service: options.service, reason: problem } };
}
