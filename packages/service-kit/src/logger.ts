import { pino, type Logger } from 'pino';

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}

export type { Logger };

/** For createPool's `onIdleError`: a lost idle connection is worth a warning, not a crash (the pool reconnects). */
export const warnOfLostConnection =
  (logger: Logger, pool: string) =>
  (error: Error): void =>
    logger.warn({ pool, err: error.message }, 'an idle Postgres connection was lost; the next query opens a new one');
