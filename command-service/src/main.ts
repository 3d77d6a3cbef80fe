import { PERSONAL_DATA } from '@shop/domain';
import { AppendTimingEventStore, createPool, PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing, PostgresEventStore, waitUntilIdle } from '@shop/kernel';
import {
  closeServer,
  configOrExit,
  createLogger,
  createTokenService,
  loadConfig,
  loadServiceConfig,
  logDestination,
  logShippingOf,
  onShutdown,
  serve,
  spanDestinationOf,
  startTracing,
  warnOfLostConnection,
} from '@shop/service-kit';
import { Counter, Histogram } from 'prom-client';
import { buildCommandApp } from './app.js';
import { BatchedTokenVersions } from './auth/batched-token-versions.js';
import { runCreateAdmin } from './auth/create-admin/create-admin.cli.js';
import { CREATE_ADMIN_USAGE } from './auth/create-admin/create-admin.js';
import { seedDevAccounts } from './auth/user-accounts.js';
import { CommandServiceConfig, CreateAdminConfig } from './config.js';

// `node command-service/dist/main.js` serves; `… create-admin --email <email>` (password on stdin) manages the admin
// account and exits. The image's ENTRYPOINT is this file, so `docker-compose run --rm -T command-service create-admin …`
// runs the same code with the service's environment.
const [command, ...args] = process.argv.slice(2);
if (command === 'create-admin') {
  const { DATABASE_URL } = configOrExit('create-admin', () => loadConfig(CreateAdminConfig));
  process.exit(await runCreateAdmin(args, DATABASE_URL, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }));
} else if (command !== undefined) {
  process.stderr.write(`command-service: unknown command "${command}"\n  no argument: serve the command API\n  ${CREATE_ADMIN_USAGE}\n`);
  process.exit(2);
}

// Composition root: the only place that reads the environment and builds the dependencies.
const config = loadServiceConfig('command-service', CommandServiceConfig, (parsed) => ({ keys: { JWT_PRIVATE_KEY: parsed.JWT_PRIVATE_KEY } }));
const logger = createLogger('command-service', undefined, logDestination(logShippingOf(config)));
const tracing = await startTracing('command-service', spanDestinationOf(config));
if (process.env.JWT_SECRET !== undefined) logger.warn('JWT_SECRET is no longer used (tokens are Ed25519: JWT_PRIVATE_KEY here, JWT_PUBLIC_KEY in the query service)');
const pool = createPool(config.DATABASE_URL, {
  max: 20,
  applicationName: 'command-service',
  onIdleError: warnOfLostConnection(logger, 'events'),
});
// Idempotency-key bookkeeping commits without waiting for the WAL flush (why that is safe: idempotency/with-idempotency.http.ts).
const bookkeeping = createPool(config.DATABASE_URL, {
  max: 10,
  applicationName: 'command-service-bookkeeping',
  asynchronousCommit: true,
  onIdleError: warnOfLostConnection(logger, 'bookkeeping'),
});
// Token versions are read fresh on every write: a logout or role change holds from the next request on. Concurrent
// writes share one lookup query (auth/batched-token-versions.ts).
const tokens = createTokenService({
  privateKey: config.JWT_PRIVATE_KEY,
  keyId: config.JWT_KEY_ID,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  ttlSeconds: config.JWT_TTL_SECONDS,
  versions: new BatchedTokenVersions(pool),
});

// Personal fields are encrypted on their way into the store and decrypted on their way out (crypto-shredding).
const keys = new PostgresDataKeyRing(pool, config.DATA_KEY_ENCRYPTION_KEY);
// Every append is timed (the dashboards' append rate and latency); the histogram joins the service's registry below.
const appendDuration = new Histogram({
  name: 'event_store_append_duration_seconds',
  help: 'Appends to the event store (encryption included) by outcome; the count is the append rate',
  labelNames: ['outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [],
});
const appendedEvents = new Counter({ name: 'event_store_appended_events_total', help: 'Events appended to the event store', registers: [] });
const store = new AppendTimingEventStore(
  new PersonalDataEventStore(new PostgresEventStore(pool), new PersonalDataCodec(keys, PERSONAL_DATA)),
  (seconds, events, outcome) => {
    appendDuration.observe({ outcome }, seconds);
    if (outcome === 'ok') appendedEvents.inc(events);
  },
);
// Production never gets here with DEV_USERS_PASSWORD (refused above); the second condition keeps it that way.
if (config.DEV_USERS_PASSWORD && config.NODE_ENV !== 'production') await seedDevAccounts(pool, store, config.DEV_USERS_PASSWORD);

const { app, registry } = buildCommandApp({
  pool,
  bookkeeping,
  store,
  keys,
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
  now: () => new Date(Date.now() + config.SHOP_CLOCK_SKEW_MS),
  idempotencyWaitMs: config.IDEMPOTENCY_WAIT_MS,
  ...(tracing ? { tracer: tracing.tracer } : {}),
});
registry.registerMetric(appendDuration);
registry.registerMetric(appendedEvents);
const server = await serve(app, config.PORT);
logger.info({ port: config.PORT }, 'command-service listening');

onShutdown(logger, [
  () => closeServer(server),
  // Requests whose clients went away may still be appending: let them finish (and store their idempotent answers).
  async () => {
    if (!(await waitUntilIdle([pool, bookkeeping]))) logger.warn('work still in flight at shutdown');
  },
  () => pool.end(),
  () => bookkeeping.end(),
  async () => tracing?.shutdown(),
]);
