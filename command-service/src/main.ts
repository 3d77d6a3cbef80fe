import { createServer } from 'node:http';
import { createPool, PostgresEventStore, waitUntilIdle } from '@shop/kernel';
import { closeServer, createLogger, createTokenService, listen, loadConfig, onShutdown, warnOfLostConnection } from '@shop/service-kit';
import { buildCommandApp } from './app.js';
import { seedDevAccounts } from './auth/user-accounts.js';
import { CommandServiceConfig } from './config.js';

// Composition root: the only place that reads the environment and builds the dependencies.
const config = loadConfig(CommandServiceConfig);
const logger = createLogger('command-service');
const pool = createPool(config.DATABASE_URL, {
  max: 20,
  applicationName: 'command-service',
  onIdleError: warnOfLostConnection(logger, 'events'),
});
// Idempotency-key bookkeeping commits without waiting for the WAL flush (why that is safe: http/idempotency.ts).
const bookkeeping = createPool(config.DATABASE_URL, {
  max: 10,
  applicationName: 'command-service-bookkeeping',
  asynchronousCommit: true,
  onIdleError: warnOfLostConnection(logger, 'bookkeeping'),
});
const tokens = createTokenService({
  secret: config.JWT_SECRET,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  ttlSeconds: config.JWT_TTL_SECONDS,
});

const store = new PostgresEventStore(pool);
if (config.DEV_USERS_PASSWORD) await seedDevAccounts(pool, store, config.DEV_USERS_PASSWORD);

const { app } = buildCommandApp({
  pool,
  bookkeeping,
  store,
  tokens,
  logger,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  writeLimit: { burst: config.RATE_LIMIT_BURST, perSecond: config.RATE_LIMIT_PER_SECOND },
  loginLimit: { burst: config.LOGIN_RATE_LIMIT_BURST, perSecond: config.LOGIN_RATE_LIMIT_PER_SECOND },
  loginAddressLimit: { burst: config.LOGIN_ADDRESS_RATE_LIMIT_BURST, perSecond: config.LOGIN_ADDRESS_RATE_LIMIT_PER_SECOND },
  loginSlowdown: {
    freeFailures: config.LOGIN_ACCOUNT_FREE_FAILURES,
    baseDelayMs: config.LOGIN_ACCOUNT_DELAY_BASE_MS,
    maxDelayMs: config.LOGIN_ACCOUNT_DELAY_MAX_MS,
    forgetPerSecond: config.LOGIN_ACCOUNT_FAILURES_FORGOTTEN_PER_SECOND,
  },
  registerLimit: { burst: config.REGISTER_RATE_LIMIT_BURST, perSecond: config.REGISTER_RATE_LIMIT_PER_SECOND },
  limiterMemory: { maxKeys: config.RATE_LIMIT_MAX_KEYS, maxKeyLength: config.RATE_LIMIT_MAX_KEY_LENGTH },
  trustedProxies: config.TRUSTED_PROXIES,
});
const server = createServer(app);
server.keepAliveTimeout = 65_000;
await listen(server, config.PORT);
logger.info({ port: config.PORT }, 'command-service listening');

onShutdown(logger, [
  () => closeServer(server),
  // Requests whose clients went away may still be appending: let them finish (and store their idempotent answers).
  async () => {
    if (!(await waitUntilIdle([pool, bookkeeping]))) logger.warn('work still in flight at shutdown');
  },
  () => pool.end(),
  () => bookkeeping.end(),
]);
