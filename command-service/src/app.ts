import express, { type RequestHandler } from 'express';
import type pg from 'pg';
import type { EventStore } from '@shop/kernel';
import { createServiceApp, ProblemError, type Logger, type ServiceApp, type TokenService } from '@shop/service-kit';
import { loginRoutes } from './auth/login.http.js';
import { domainProblems } from './http/domain-problems.js';
import { createProductRoutes } from './products/create-product/create-product.http.js';

export interface CommandServiceDeps {
  pool: pg.Pool;
  store: EventStore;
  tokens: TokenService;
  logger: Logger;
  bodyLimitBytes: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Writes carry JSON: anything else is refused before parsing, so a form post never reaches a handler. */
const requireJson: RequestHandler = (req, _res, next) => {
  if (WRITE_METHODS.has(req.method) && req.headers['content-length'] !== '0' && !req.is('application/json')) {
    throw new ProblemError(415, 'unsupported_media_type', 'Unsupported Media Type', 'Send the body as application/json');
  }
  next();
};

/** The command service's HTTP app; main.ts builds the dependencies and tests pass their own. */
export function buildCommandApp(deps: CommandServiceDeps): ServiceApp {
  const service = createServiceApp({
    service: 'command-service',
    logger: deps.logger,
    readiness: async () => {
      await deps.pool.query('SELECT 1');
      return undefined;
    },
  });
  service.app.use(requireJson, express.json({ limit: deps.bodyLimitBytes, strict: true }));
  service.app.use(loginRoutes(deps));
  service.app.use(createProductRoutes(deps));
  service.app.use(domainProblems);
  service.finish();
  return service;
}
