import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

/** Everything `npm start` can be told, from the environment. Defaults run the whole shop on one machine. */
export const StackConfig = z.object({
  SHOP_PORT: port(8080),
  /** nginx also serves https here (a local self-signed certificate in infra/nginx/ssl/); 0: http only. */
  SHOP_HTTPS_PORT: z.coerce.number().int().min(0).max(65_535).default(8443),
  COMMAND_PORT: port(3001),
  QUERY_PORT: port(3002),
  PROJECTOR_PORT: port(3003),
  PROMETHEUS_PORT: port(9090),
  /** Existing servers to use when reachable; otherwise local ones are started (see README). */
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/shop'),
  /** An empty value means "none": nothing is started and the fallback is used. */
  REDIS_URL: z.string().trim().default('redis://127.0.0.1:6379'),
  NATS_URL: z.string().trim().default('nats://127.0.0.1:4222'),
  /** Where locally started servers keep their data and the stack writes configs and logs. */
  SHOP_DATA_DIR: z.string().default('.stack'),
  /** Local development only: the password of the seeded dev accounts. */
  DEV_USERS_PASSWORD: z.string().min(8).default('shop-dev-password'),
  /**
   * The token signing key (Ed25519; PEM or one line of base64 DER) and its public half (derived when unset). Unset:
   * a development pair generated once into SHOP_DATA_DIR/dev-keys (stack/src/dev-keys.ts).
   */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  /** `npm start` is the development path: it refuses NODE_ENV=production (run the services or the containers there). */
  NODE_ENV: z.string().optional(),
  /** Master key of personal data (32 bytes, base64); unset: the one in SHOP_DATA_DIR, made on first start. */
  DATA_KEY_ENCRYPTION_KEY: z.string().trim().optional(),
  /**
   * How many command-service and query-service processes run behind the gateway, and how many partition processes
   * the projector runs as (PROJECTION_PARTITIONS). The first of each listens on COMMAND_PORT / QUERY_PORT /
   * PROJECTOR_PORT, the others on free ports (the start lines and Prometheus name them).
   */
  SHOP_INSTANCES: z.coerce.number().int().min(1).max(8).default(1),
  SHOP_GATEWAY: z.enum(['auto', 'nginx', 'node']).default('auto'),
  SHOP_PROMETHEUS: z.enum(['auto', 'off']).default('auto'),
  NATS_STREAM: z.string().default('SHOP_EVENTS'),
  NATS_SUBJECT_PREFIX: z.string().default('shop'),
  /** Given to every service (docs/observability.md): `debug` adds a line per request and per applied event. */
  LOG_LEVEL: z.string().optional(),
  /** Given to every service: an OTLP/HTTP collector turns tracing on. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
});
export type StackConfig = z.infer<typeof StackConfig>;
