import { createServer } from 'node:http';
import { PERSONAL_DATA } from '@shop/domain';
import { createPool, PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing, PostgresEventStore, waitUntilIdle } from '@shop/kernel';
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

// Personal fields are encrypted on their way into the store and decrypted on their way out (crypto-shredding).
const keys = new PostgresDataKeyRing(pool, config.DATA_KEY_ENCRYPTION_KEY);
const store = new PersonalDataEventStore(new PostgresEventStore(pool), new PersonalDataCodec(keys, PERSONAL_DATA));
if (config.DEV_USERS_PASSWORD) await seedDevAccounts(pool, store, config.DEV_USERS_PASSWORD);

const { app } = buildCommandApp({
  pool,
  bookkeeping,
  store,
  keys,
  tokens,
  logger,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  writeLimit: { burst: config.RATE_LIMIT_BURST, perSecond: config.RATE_LIMIT_PER_SECOND },
  loginLimit: { burst: config.LOGIN_RATE_LIMIT_BURST, perSecond: config.LOGIN_RATE_LIMIT_PER_SECOND },
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
