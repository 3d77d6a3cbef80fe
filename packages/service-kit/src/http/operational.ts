import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createRequestMetrics, type RequestMetrics } from './request-metrics.js';

/**
 * What every Shop service measures, whatever serves its HTTP (express on the command side, the node:http router of
 * the query service): the process's default metrics and one request-duration histogram, labelled by the route's
 * pattern (`/api/products/:id`, `unmatched`), never by the raw path.
 */
export interface ServiceMetrics {
  registry: Registry;
  requestMetrics: RequestMetrics;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return { registry, requestMetrics: createRequestMetrics(registry) };
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
