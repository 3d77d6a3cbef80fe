import { ShopClient } from '@shop/client';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GenericContainer,
  getContainerRuntimeClient,
  ImageName,
  Network,
  StartedNetwork,
  Wait,
  type StartedTestContainer,
} from 'testcontainers';
import { execRepeatable } from './exec.js';
import { generateShopSecrets, type ShopSecrets } from './secrets.js';

/** The images `npm run containers -- build` makes: the shop's own (tag `local`) and the registry-free bases. */
export const DEFAULT_BASE_IMAGES = {
  postgres: 'shop-local/postgres:15',
  redis: 'shop-local/redis:7',
  nats: 'shop-local/nats:2.9',
} as const;

export interface StartShopOptions {
  /** Tag of the shop/* images (`SHOP_IMAGE_TAG` of the compose file). Default `local`. */
  tag?: string;
  /** Start the nginx gateway (default true). Without it, `url` is the query service and `commandUrl` the command service. */
  gateway?: boolean;
  /** An existing testcontainers network to join (your own containers can then reach `gateway:8080`, `nats:4222`, …). */
  network?: StartedNetwork;
  /**
   * Reuse a running shop started with `reuse: true` by an earlier test file (testcontainers' `withReuse()`): the
   * containers, their secrets and the admin are kept between runs; `stop()` leaves them running. Remove them with
   * `docker rm -f $(docker ps -aq --filter label=shop.testcontainers=reuse)`.
   */
  reuse?: boolean;
  /** Base images; default the registry-free stand-ins (`DEFAULT_BASE_IMAGES`). */
  images?: Partial<Record<keyof typeof DEFAULT_BASE_IMAGES, string>>;
  /** The admin account created with the command-service image's `create-admin`. */
  adminEmail?: string;
  /** Per container, how long it may take to become ready (default 120 s). */
  startupTimeoutMs?: number;
}

export interface StartedShop {
  /** Where the API answers: the gateway (reads and writes), or without it the query service (reads only). */
  url: string;
  /** Where writes go: the gateway, or without it the command service. */
  commandUrl: string;
  /** `nats://host:port` of the shop's NATS (JetStream stream SHOP_EVENTS, subjects shop.events.v1.>). */
  natsUrl: string;
  admin: { email: string; password: string };
  /** `@shop/client` logged in as the admin. */
  client: ShopClient;
  /** The containers by service name, for logs or `exec`. */
  containers: Readonly<Record<string, StartedTestContainer>>;
  /** Whether `reuse` found a running shop. */
  reused: boolean;
  /** Stops and removes what this call started (a reused shop keeps running). */
  stop(): Promise<void>;
}

/** The settings a reused shop keeps on disk so every test file builds the same containers (same reuse hash). */
interface ReuseState {
  secrets: ShopSecrets;
  adminPassword: string;
}

const SERVICE_PORTS = { command: 3001, query: 3002, projector: 3003 } as const;

/** Thrown when an image is missing: the message names the command that builds them. */
export class ShopImagesMissing extends Error {
  override readonly name = 'ShopImagesMissing';
  constructor(readonly images: string[]) {
    super(`missing Docker images: ${images.join(', ')}. Build them in the Shop repository with \`npm run containers -- build\``);
  }
}

async function assertImagesExist(images: string[]): Promise<void> {
  const client = await getContainerRuntimeClient();
  const missing: string[] = [];
  for (const image of images) if (!(await client.image.exists(ImageName.fromString(image)))) missing.push(image);
  if (missing.length > 0) throw new ShopImagesMissing(missing);
}

/** A reused shop's network: one fixed name per tag, created once, never removed by stop(). */
async function reusableNetwork(name: string): Promise<StartedNetwork> {
  const client = await getContainerRuntimeClient();
  const existing = client.network.getById(name);
  try {
    await existing.inspect();
    return new StartedNetwork(client, name, existing);
  } catch {
    const created = await client.network.create({ Name: name, CheckDuplicate: true, Driver: 'bridge', Labels: { 'shop.testcontainers': 'reuse' } });
    return new StartedNetwork(client, name, created);
  }
}

function reuseState(tag: string): ReuseState {
  const dir = join(tmpdir(), 'shop-testcontainers');
  const file = join(dir, `${tag.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ReuseState;
  } catch {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const state: ReuseState = { secrets: generateShopSecrets(), adminPassword: randomBytes(18).toString('base64url') };
    // `wx`: when two test files race here, the loser reads the winner's state (same secrets, same containers).
    try {
      writeFileSync(file, JSON.stringify(state), { mode: 0o600, flag: 'wx' });
      return state;
    } catch {
      return JSON.parse(readFileSync(file, 'utf8')) as ReuseState;
    }
  }
}

/**
 * Starts the whole Shop from its images, one container per service on one network, in dependency order (what the
 * compose file's `depends_on` says): Postgres, Redis, NATS → migrate (runs to completion) → the three services
 * (healthy) → the gateway (healthy). Then creates the admin with `create-admin` and logs a client in.
 */
export async function startShop(options: StartShopOptions = {}): Promise<StartedShop> {
  const tag = options.tag ?? 'local';
  const withGateway = options.gateway ?? true;
  const reuse = options.reuse ?? false;
  const timeout = options.startupTimeoutMs ?? 120_000;
  const base = { ...DEFAULT_BASE_IMAGES, ...options.images };
  const image = (name: string): string => `shop/${name}:${tag}`;
  const shopImages = ['migrate', 'command-service', 'query-service', 'projector', ...(withGateway ? ['gateway'] : [])].map(image);
  await assertImagesExist([base.postgres, base.redis, base.nats, ...shopImages]);

  const state: ReuseState = reuse ? reuseState(tag) : { secrets: generateShopSecrets(), adminPassword: randomBytes(18).toString('base64url') };
  const { secrets } = state;
  const adminEmail = options.adminEmail ?? 'admin@shop.test';
  const ownNetwork = options.network ? undefined : reuse ? undefined : await new Network().start();
  const network = options.network ?? ownNetwork ?? (await reusableNetwork(`shop-testcontainers-${tag}`));
  const started: StartedTestContainer[] = [];
  const byService: Record<string, StartedTestContainer> = {};

  const container = (img: string, alias: string): GenericContainer => {
    const c = new GenericContainer(img).withNetwork(network).withNetworkAliases(alias).withStartupTimeout(timeout);
    return reuse ? c.withReuse().withLabels({ 'shop.testcontainers': 'reuse' }) : c;
  };
  const start = async (c: GenericContainer, service: string): Promise<StartedTestContainer> => {
    const s = await c.start();
    started.push(s);
    byService[service] = s;
    return s;
  };
  const stopStarted = async (): Promise<void> => {
    if (reuse) return;
    // Reverse order: the services go before what they depend on, so none logs a lost connection on its way out.
    for (const s of started.reverse()) await s.stop({ remove: true, removeVolumes: true }).catch(() => undefined);
    if (ownNetwork) await ownNetwork.stop().catch(() => undefined);
  };

  try {
    const [postgres, , nats] = await Promise.all([
      start(
        container(base.postgres, 'postgres')
          .withEnvironment({ POSTGRES_USER: 'postgres', POSTGRES_DB: 'shop', POSTGRES_PASSWORD: secrets.POSTGRES_PASSWORD })
          // A test database: durability off, like the repository's own harness.
          .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'password_encryption=scram-sha-256'])
          .withTmpFs({ '/var/lib/postgresql/data': 'rw,uid=999,gid=999', '/var/run/postgresql': 'rw,uid=999,gid=999' })
          .withWaitStrategy(Wait.forLogMessage('database system is ready to accept connections')),
        'postgres',
      ),
      start(container(base.redis, 'redis').withCommand(['redis-server', '--save', '', '--appendonly', 'no']).withWaitStrategy(Wait.forLogMessage('Ready to accept connections')), 'redis'),
      start(
        container(base.nats, 'nats')
          .withCommand(['-js', '-sd', '/tmp/nats', '-m', '8222'])
          .withExposedPorts(4222)
          .withWaitStrategy(Wait.forLogMessage('Server is ready')),
        'nats',
      ),
    ]);

    const reused = reuse && (await schemaApplied(postgres));
    if (!reused) {
      // One-shot: removed once it has exited 0 (a non-zero exit makes start() throw).
      const migrate = await new GenericContainer(image('migrate'))
          .withNetwork(network)
          .withEnvironment({
            DATABASE_URL: `postgres://postgres:${secrets.POSTGRES_PASSWORD}@postgres:5432/shop`,
            COMMAND_DB_PASSWORD: secrets.COMMAND_DB_PASSWORD,
            PROJECTOR_DB_PASSWORD: secrets.PROJECTOR_DB_PASSWORD,
            QUERY_DB_PASSWORD: secrets.QUERY_DB_PASSWORD,
          })
          .withStartupTimeout(timeout)
          .withWaitStrategy(Wait.forOneShotStartup())
          .start();
      await migrate.stop({ remove: true, removeVolumes: true });
    }

    const appEnv = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      REDIS_URL: 'redis://redis:6379',
      NATS_URL: 'nats://nats:4222',
      TRUSTED_PROXIES: 'loopback,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16',
      DATA_KEY_ENCRYPTION_KEY: secrets.DATA_KEY_ENCRYPTION_KEY,
    };
    const service = (name: string, role: string, password: string, port: number, env: Record<string, string>): GenericContainer =>
      container(image(name), name)
        .withEnvironment({ ...appEnv, ...env, PORT: String(port), DATABASE_URL: `postgres://${role}:${password}@postgres:5432/shop` })
        .withTmpFs({ '/tmp': 'rw,size=64m' })
        .withExposedPorts(port)
        .withWaitStrategy(Wait.forHealthCheck());
    const [command, query] = await Promise.all([
      start(
        service('command-service', 'shop_command', secrets.COMMAND_DB_PASSWORD, SERVICE_PORTS.command, {
          JWT_PRIVATE_KEY: secrets.JWT_PRIVATE_KEY,
          // A test drives many writes and logins from one address; the gateway's and services' limits stay as shipped otherwise.
          LOGIN_RATE_LIMIT_BURST: '1000',
          LOGIN_RATE_LIMIT_PER_SECOND: '1000',
          RATE_LIMIT_BURST: '1000',
          RATE_LIMIT_PER_SECOND: '1000',
        }),
        'command-service',
      ),
      start(
        service('query-service', 'shop_query', secrets.QUERY_DB_PASSWORD, SERVICE_PORTS.query, {
          JWT_PUBLIC_KEY: secrets.JWT_PUBLIC_KEY,
          CONSISTENCY_MAX_WAIT_MS: '5000',
        }),
        'query-service',
      ),
      start(service('projector', 'shop_projector', secrets.PROJECTOR_DB_PASSWORD, SERVICE_PORTS.projector, { PROJECTION_PARTITIONS: '1' }), 'projector'),
    ]);

    let url = `http://${query.getHost()}:${query.getMappedPort(SERVICE_PORTS.query)}`;
    let commandUrl = `http://${command.getHost()}:${command.getMappedPort(SERVICE_PORTS.command)}`;
    if (withGateway) {
      const gateway = await start(
        container(image('gateway'), 'gateway')
          // Plain HTTP on 8080: a test shop on a mapped localhost port has no certificate to trust (gateway-entrypoint.sh).
          .withEnvironment({ GATEWAY_TLS: 'off', GATEWAY_LOGIN_RATE: '1000r/s', GATEWAY_LOGIN_BURST: '1000', GATEWAY_WRITE_RATE: '1000r/s', GATEWAY_WRITE_BURST: '1000' })
          .withTmpFs({ '/tmp': 'rw,uid=101,gid=101,size=64m' })
          .withExposedPorts(8080)
          .withWaitStrategy(Wait.forHealthCheck()),
        'gateway',
      );
      url = `http://${gateway.getHost()}:${gateway.getMappedPort(8080)}`;
      commandUrl = url;
    }

    const client = new ShopClient({ baseUrl: url, fetch: routedFetch(url, commandUrl) });
    const admin = { email: adminEmail, password: state.adminPassword };
    // A reused shop already has its admin: creating it again would revoke the tokens other test files hold.
    const loggedIn = reused && (await client.login(admin.email, admin.password).then(() => true, () => false));
    if (!loggedIn) {
      await createAdmin(command, admin.email, admin.password);
      await client.login(admin.email, admin.password);
    }
    return {
      url,
      commandUrl,
      natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
      admin,
      client,
      containers: byService,
      reused,
      stop: stopStarted,
    };
  } catch (error) {
    await stopStarted();
    throw error;
  }
}

/** Whether `migrate` has run on this database (a reused Postgres). */
async function schemaApplied(postgres: StartedTestContainer): Promise<boolean> {
  const result = await execRepeatable(postgres, ['psql', '-AtX', '-U', 'postgres', '-d', 'shop', '-c', "SELECT to_regclass('public.events') IS NOT NULL"]);
  return result.exitCode === 0 && result.output.trim() === 't';
}

/** `create-admin --email` inside the command-service container, the password on standard input like an operator (an upsert: safe to repeat). */
async function createAdmin(command: StartedTestContainer, email: string, password: string): Promise<void> {
  // exec has no stdin: the password goes through the environment of a shell that pipes it in.
  const result = await execRepeatable(command, ['sh', '-c', 'printf "%s\\n" "$ADMIN_PASSWORD" | node command-service/dist/main.js create-admin --email "$ADMIN_EMAIL"'], {
    env: { ADMIN_PASSWORD: password, ADMIN_EMAIL: email },
  });
  if (result.exitCode !== 0) throw new Error(`create-admin failed (${result.exitCode}): ${result.output}`);
}

/**
 * Without the gateway, reads and writes live on two services: send each request where the gateway would
 * (GET → query service, anything else → command service).
 */
export function routedFetch(queryUrl: string, commandUrl: string): typeof fetch {
  if (queryUrl === commandUrl) return globalThis.fetch.bind(globalThis);
  return (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const target = new URL(input instanceof Request ? input.url : String(input));
    const base = new URL(method === 'GET' || method === 'HEAD' ? queryUrl : commandUrl);
    target.protocol = base.protocol;
    target.host = base.host;
    return globalThis.fetch(target, init);
  };
}
