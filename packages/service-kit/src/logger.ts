import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Fields that carry personal data or secrets wherever they appear in a log line: a customer's email, name and
 * address, passwords and tokens, and a PostgreSQL error's `detail` (it quotes the row: `Key (email)=(…) already
 * exists`). Logs are kept and shipped far longer and wider than the data they would copy (and an erased customer
 * must not live on in them), so these are censored at the source rather than trusted to every call site.
 */
export const PERSONAL_FIELDS = ['email', 'password', 'name', 'line1', 'line2', 'city', 'postalCode', 'shippingAddress', 'detail', 'authorization', 'token'] as const;

/**
 * The redaction paths: each field at the top of a log object and up to three levels down (`err.detail`,
 * `body.shippingAddress`, `req.headers.authorization`). pino's top-level `name` is the logger's own and is left
 * alone. Wildcards cover one level each, so the depth is spelled out.
 */
export const REDACTED_PATHS: string[] = PERSONAL_FIELDS.flatMap((field) => [
  ...(field === 'name' ? [] : [field]),
  `*.${field}`,
  `*.*.${field}`,
  `*.*.*.${field}`,
]);

export const REDACTED = '[redacted]';

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = { name: service, level, base: { service }, redact: { paths: REDACTED_PATHS, censor: REDACTED } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

/** For createPool's `onIdleError`: a lost idle connection is worth a warning, not a crash (the pool reconnects). */
export const warnOfLostConnection =
  (logger: Logger, pool: string) =>
  (error: Error): void =>
    logger.warn({ pool, err: error.message }, 'an idle Postgres connection was lost; the next query opens a new one');
