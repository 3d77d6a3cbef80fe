import type { RequestHandler } from 'express';
import type pg from 'pg';
import { AggregateCache, type DataKeyRing, type EventStore } from '@shop/kernel';
import { createServiceApp, identify, jsonBody, ProblemError, type Logger, type ServiceApp, type TokenService, type Tracer, type TrustedProxies } from '@shop/service-kit';
import { loginRoutes, type LoginLimits } from './auth/login/login.http.js';
import { logoutRoutes } from './auth/logout/logout.http.js';
import { KeyedMutex } from './commands/keyed-mutex.js';
import { forgetCustomerRoutes } from './customers/forget-customer/forget-customer.http.js';
import { registerRoutes } from './customers/register/register.http.js';
import { domainProblems } from './http/domain-problems.js';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import { clientKey, rateLimit, type RateLimit } from './http/rate-limit.js';
import { orderActionRoutes } from './orders/order-actions/order-actions.http.js';
import { placeOrderRoutes } from './orders/place-order/place-order.http.js';
import { redriveRoutes } from './projections/redrive/redrive.http.js';
import { adjustStockRoutes } from './products/adjust-stock/adjust-stock.http.js';
import { changeProductDetailsRoutes } from './products/change-product-details/change-product-details.http.js';
import { createProductRoutes } from './products/create-product/create-product.http.js';
import { discontinueProductRoutes } from './products/discontinue-product/discontinue-product.http.js';

export interface CommandServiceDeps {
  pool: pg.Pool;
  /** For idempotency keys: a pool that commits asynchronously (see idempotency/with-idempotency.http.ts); tests may pass `pool`. */
  bookkeeping: pg.Pool;
  /** The event store with the personal-data codec around it (kernel PersonalDataEventStore). */
  store: EventStore;
  /** The data keys that codec encrypts with: erasure shreds them. */
  keys: DataKeyRing;
  tokens: TokenService;
  logger: Logger;
  bodyLimitBytes: number;
  writeLimit: RateLimit;
  /** Sign-in limits (auth/login/login.http.ts); `loginLimit` also limits registrations unless `registerLimit` is given. */
  loginLimit: RateLimit;
  loginAddressLimit?: LoginLimits['loginAddressLimit'];
  loginSlowdown?: LoginLimits['loginSlowdown'];
  registerLimit?: RateLimit;
  limiterMemory?: LoginLimits['limiterMemory'];
  /** How long a retry waits for its key's first request (IDEMPOTENCY_WAIT_MS); default DEFAULT_IN_PROGRESS_WAIT_MS. */
  idempotencyWaitMs?: number;
  /** TRUSTED_PROXIES: whose X-Forwarded-For names the client (default: loopback and private ranges). */
  trustedProxies?: TrustedProxies;
  /**
   * The clock that stamps order commands (placedAt, paidAt, …); default the machine's. The one clock seam of the
   * service, there so the fault harness can skew one service's clock (SHOP_CLOCK_SKEW_MS, docs/faults.md).
   */
  now?: () => Date;
  /** Set when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT): a span per request, its context into the events' metadata. */
  tracer?: Tracer;
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
    trustedProxies: deps.trustedProxies,
    ...(deps.tracer ? { tracer: deps.tracer } : {}),
    readiness: async () => {
      await deps.pool.query('SELECT 1');
      return undefined;
    },
  });
  service.app.use(requireJson, jsonBody({ limit: deps.bodyLimitBytes }));
  // Per-process helpers shared by the routes: per-aggregate locks, the aggregate-state cache, idempotency keys.
  const locks = new KeyedMutex();
  const cache = new AggregateCache();
  const idempotencyKeys = new IdempotencyStore(deps.bookkeeping, deps.logger, deps.idempotencyWaitMs);
  const routeDeps = { ...deps, locks, cache, idempotencyKeys };
  service.app.use(registerRoutes({ ...deps, registerLimit: deps.registerLimit ?? deps.loginLimit }));
  service.app.use(loginRoutes(deps));
  // Every other write is counted against its client: the user when the token is valid, else the address.
  service.app.use(identify(deps.tokens), rateLimit(deps.writeLimit, clientKey, 'rate_limited', deps.limiterMemory));
  service.app.use(logoutRoutes(deps));
  service.app.use(createProductRoutes(routeDeps));
  service.app.use(changeProductDetailsRoutes(routeDeps));
  service.app.use(adjustStockRoutes(routeDeps));
  service.app.use(discontinueProductRoutes(routeDeps));
  service.app.use(placeOrderRoutes(routeDeps));
  service.app.use(orderActionRoutes(routeDeps));
  service.app.use(forgetCustomerRoutes(routeDeps));
  service.app.use(redriveRoutes(routeDeps));
  service.app.use(domainProblems);
  service.finish();
  return service;
}
