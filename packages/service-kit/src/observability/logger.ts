import { hostname } from 'node:os';
import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Fields that carry personal data or secrets wherever they appear in a log line: a customer's email, name and
 * address, passwords and tokens, and a PostgreSQL error's `detail` (it quotes the row: `Key (email)=(…) already
 * exists`). Logs are kept and shipped far longer and wider than the data they would copy (and an erased customer
 * must not live on in them), so these are censored at the source rather than trusted to every call site.
 */
export const PERSONAL_FIELDS = ['email', 'password', 'name', 'line1', 'line2', 'city', 'postalCode', 'shippingAddress', 'detail', 'authorization', 'token'] as const;

/**
 * The redaction paths: each field at the top of a log object and up to three levels down (`err.detail`,
 * `body.shippingAddress`, `req.headers.authorization`). Wildcards cover one level each, so the depth is spelled out.
 */
export const REDACTED_PATHS: string[] = PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]);

export const REDACTED = '[redacted]';

/** The ECS version the lines follow (docs/observability.md lists the fields). */
export const ECS_VERSION = '8.11.0';

/**
 * The ECS names of the fields call sites write in our own words. Lines keep the short names at the call site
 * (`logger.warn({ err, requestId }, …)`); the shipped document has the ECS ones, so Kibana and the index template
 * (infra/elasticsearch/) know them. The correlation id has no ECS field of its own: it is a label.
 */
const ECS_NAMES: Record<string, string> = {
  requestId: 'http.request.id',
  correlationId: 'labels.correlation_id',
};

/** An error as ECS's `error.*` (type, message, code, stack); a non-Error (`err: error.message`) is its message. */
function ecsError(value: unknown): Record<string, unknown> {
  if (!(value instanceof Error)) return { message: typeof value === 'string' ? value : JSON.stringify(value) };
  const { code } = value as { code?: unknown };
  return {
    type: value.name,
    message: value.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(value.stack === undefined ? {} : { stack_trace: value.stack }),
  };
}

/** A log call's object with our short names turned into ECS ones (a new object only when there is one to turn). */
export function toEcsFields(object: Record<string, unknown>): Record<string, unknown> {
  if (!('err' in object) && !('requestId' in object) && !('correlationId' in object)) return object;
  const ecs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'err') ecs.error = ecsError(value);
    else ecs[ECS_NAMES[key] ?? key] = value;
  }
  return ecs;
}

/**
 * The active span's ids on every line (`trace.id`, `transaction.id`), so a line leads to its trace and back. With
 * tracing off no span is ever active and this adds nothing (the OpenTelemetry API answers from a no-op context).
 */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { 'trace.id': traceId, 'transaction.id': spanId };
}

/**
 * The service's logger: one JSON line per call, in Elastic Common Schema (`@timestamp`, `log.level`, `message`,
 * `service.name`, `event.dataset`, `error.*`, `http.*`, `labels.correlation_id`, `trace.id`), personal fields
 * censored. `destination` defaults to stdout; `logDestination` adds shipping to Elasticsearch.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    messageKey: 'message',
    base: { 'service.name': service, 'event.dataset': `${service}.log`, 'ecs.version': ECS_VERSION, 'process.pid': process.pid, 'host.hostname': hostname() },
    timestamp: () => `,"@timestamp":"${new Date().toISOString()}"`,
    formatters: {
      level: (label) => ({ 'log.level': label }),
      log: toEcsFields,
    },
    mixin: traceFields,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

/** For createPool's `onIdleError`: a lost idle connection is worth a warning, not a crash (the pool reconnects). */
export const warnOfLostConnection =
  (logger: Logger, pool: string) =>
  (error: Error): void =>
    logger.warn({ pool, err: error.message }, 'an idle Postgres connection was lost; the next query opens a new one');
