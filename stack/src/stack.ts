import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { applySchema, createPool } from '@shop/kernel';
import { closeServer, freePort, listen, SERVICE_NODE_FLAGS } from '@shop/service-kit';
import type { StackConfig } from './config.js';
import { stackJwtKeys } from './dev-keys.js';
import { localCertificate, startNginx, type GatewayRoutes } from './gateway/nginx.js';
import { createNodeGateway } from './gateway/node-gateway.js';
import { assertPortsFree, spawnManaged, waitUntil, type ManagedChild } from './infra/child.js';
import { localDataKeyEncryptionKey } from './infra/data-key.js';
import { ensureNats } from './infra/nats.js';
import { ensurePostgres } from './infra/postgres.js';
import { startPrometheus } from './infra/prometheus.js';
import { ensureRedis } from './infra/redis.js';
import { which } from './infra/which.js';
import { repoPath } from './paths.js';

export interface RunningStack {
  url: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  natsUrl: string | undefined;
  gateway: 'nginx' | 'node';
  prometheusUrl: string | undefined;
  /** The first instance's ports (COMMAND_PORT, QUERY_PORT, PROJECTOR_PORT). */
  ports: { command: number; query: number; projector: number };
  /** Every instance's port, in instance order (SHOP_INSTANCES of each). */
  instancePorts: { command: number[]; query: number[]; projector: number[] };
  services: ManagedChild[];
  stop(): Promise<void>;
}

async function ready(url: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

/**
 * Brings up the whole shop on this machine, as `npm start` does: infrastructure (existing or started locally),
 * schema, the three services as supervised child processes, the gateway and Prometheus. `stop()` takes it all
 * down in reverse order, letting each service finish what it is doing.
 */
export async function startStack(config: StackConfig, say: (line: string) => void): Promise<RunningStack> {
  const dataDir = resolve(config.SHOP_DATA_DIR);
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.reverse()) await stop().catch((error: unknown) => say(`while stopping: ${String(error)}`));
    stoppers.length = 0;
  };

  if (config.NODE_ENV === 'production') {
    throw new Error('npm start is the development path (dev accounts, generated dev keys) and refuses NODE_ENV=production; deploy the services themselves (docker-compose; README "Tokens, accounts and production mode")');
  }
  say('Development mode (npm start): dev accounts seeded with DEV_USERS_PASSWORD; for local use only, never in production');
  try {
    const prometheusBinary = config.SHOP_PROMETHEUS === 'off' ? undefined : which('prometheus');
    await assertPortsFree({
      SHOP_PORT: config.SHOP_PORT,
      COMMAND_PORT: config.COMMAND_PORT,
      QUERY_PORT: config.QUERY_PORT,
      PROJECTOR_PORT: config.PROJECTOR_PORT,
      ...(prometheusBinary ? { PROMETHEUS_PORT: config.PROMETHEUS_PORT } : {}),
    });
    const postgres = await ensurePostgres(config.DATABASE_URL, dataDir, say);
    stoppers.push(() => postgres.stop());
    const redis = await ensureRedis(config.REDIS_URL, dataDir, say);
    stoppers.push(() => redis.stop());
    const nats = await ensureNats(config.NATS_URL, dataDir, say);
    stoppers.push(() => nats.stop());

    const pool = createPool(postgres.url, { max: 1, applicationName: 'stack' });
    await applySchema(pool).finally(() => pool.end());

    const jwt = stackJwtKeys({ privateKey: config.JWT_PRIVATE_KEY, publicKey: config.JWT_PUBLIC_KEY }, dataDir, say);
    // Each service gets only its half: the query service never sees the signing key.
    const { JWT_PRIVATE_KEY: _private, JWT_PUBLIC_KEY: _public, JWT_SECRET: _retired, ...inherited } = process.env;
    const common = {
      ...inherited,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url ?? '',
      NATS_URL: nats.url ?? '',
      DATA_KEY_ENCRYPTION_KEY: localDataKeyEncryptionKey(config.DATA_KEY_ENCRYPTION_KEY, dataDir, say),
      // The gateway runs on this machine: only a loopback hop may name the client. The services listen on every
      // interface, and the default (loopback and private ranges) would let a LAN neighbour pick its own address.
      TRUSTED_PROXIES: process.env.TRUSTED_PROXIES ?? 'loopback',
      ...(config.LOG_LEVEL ? { LOG_LEVEL: config.LOG_LEVEL } : {}),
      ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { OTEL_EXPORTER_OTLP_ENDPOINT: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    };
    const service = (name: string, entry: string, port: number, extraEnv: NodeJS.ProcessEnv = {}): ManagedChild =>
      spawnManaged({
        name,
        command: process.execPath,
        args: [...SERVICE_NODE_FLAGS, repoPath(entry)],
        env: { ...common, ...extraEnv, PORT: String(port) },
        logFile: join(dataDir, 'logs', `${name}.log`),
        restart: true,
        ipc: true,
        onUnexpectedExit: (who, code, signal) =>
          say(`${who} exited unexpectedly (${signal ?? `code ${code}`}); restarting. Log: ${join(dataDir, 'logs', `${who}.log`)}`),
      });
    // SHOP_INSTANCES of each: the first on its configured port, the others on free ones. The projector's instances
    // are the partitions of every projection (PROJECTION_PARTITIONS), one partition per process.
    const instances = config.SHOP_INSTANCES;
    const portsOf = async (first: number): Promise<number[]> => [first, ...(await Promise.all(Array.from({ length: instances - 1 }, () => freePort())))];
    const instancePorts = { command: await portsOf(config.COMMAND_PORT), query: await portsOf(config.QUERY_PORT), projector: await portsOf(config.PROJECTOR_PORT) };
    const nameOf = (name: string, i: number): string => (instances === 1 ? name : `${name}-${i + 1}`);
    const services = [
      ...instancePorts.command.map((port, i) =>
        service(nameOf('command-service', i), 'command-service/dist/main.js', port, {
          JWT_PRIVATE_KEY: jwt.privateKey,
          // One instance seeds the dev accounts: two seeding at once would race on the same accounts (undefined: unset).
          DEV_USERS_PASSWORD: i === 0 ? config.DEV_USERS_PASSWORD : undefined,
        }),
      ),
      ...instancePorts.query.map((port, i) => service(nameOf('query-service', i), 'query-service/dist/main.js', port, { JWT_PUBLIC_KEY: jwt.publicKey })),
      ...instancePorts.projector.map((port, i) =>
        service(nameOf('projector', i), 'projector/dist/main.js', port, {
          NATS_STREAM: config.NATS_STREAM,
          NATS_SUBJECT_PREFIX: config.NATS_SUBJECT_PREFIX,
          ...(instances > 1 ? { PROJECTION_PARTITIONS: String(instances), PROJECTOR_PARTITIONS: String(i) } : {}),
        }),
      ),
    ];
    for (const child of services) stoppers.push(() => child.stop());
    const servicePorts = [...instancePorts.command, ...instancePorts.query, ...instancePorts.projector];
    await Promise.all(
      servicePorts.map((port, i) =>
        waitUntil(services[i]!.name, () => ready(`http://127.0.0.1:${port}/readyz`), 60_000).catch((error: unknown) => {
          throw new Error(`${String(error)} (log: ${services[i]!.logFile})`);
        }),
      ),
    );
    if (instances > 1) {
      say(`Instances: ${instances} of each; command on ${instancePorts.command.join(', ')}, query on ${instancePorts.query.join(', ')}, projector partitions on ${instancePorts.projector.join(', ')}`);
    }

    const routes: GatewayRoutes = {
      port: config.SHOP_PORT,
      commandUpstreams: instancePorts.command.map((port) => `127.0.0.1:${port}`),
      queryUpstreams: instancePorts.query.map((port) => `127.0.0.1:${port}`),
      webRoot: repoPath('web/dist'),
    };
    const nginx = config.SHOP_GATEWAY === 'node' ? undefined : which('nginx');
    if (config.SHOP_GATEWAY === 'nginx' && !nginx) throw new Error('SHOP_GATEWAY=nginx but nginx is not installed');
    if (nginx) {
      // https beside http when openssl can make (or has made) the local certificate; SHOP_HTTPS_PORT=0 turns it off.
      if (config.SHOP_HTTPS_PORT > 0) {
        const certificate = localCertificate(repoPath('infra/nginx/ssl'));
        if ('cert' in certificate) {
          await assertPortsFree({ SHOP_HTTPS_PORT: config.SHOP_HTTPS_PORT });
          routes.https = { port: config.SHOP_HTTPS_PORT, ...certificate };
          say(`Gateway: https on https://localhost:${config.SHOP_HTTPS_PORT} too (self-signed, infra/nginx/ssl/)`);
        } else {
          say(`Gateway: http only (${certificate.reason})`);
        }
      }
      const child = startNginx(nginx, routes, dataDir);
      stoppers.push(() => child.stop());
    } else {
      if (config.SHOP_GATEWAY === 'auto') say('Gateway: nginx is not installed; using the built-in Node gateway (same routing)');
      const server: Server = createNodeGateway(routes);
      await listen(server, config.SHOP_PORT);
      stoppers.push(() => closeServer(server));
    }
    const url = `http://localhost:${config.SHOP_PORT}`;
    await waitUntil('gateway', () => ready(`${url}/api/products?limit=1`), 15_000);

    let prometheusUrl: string | undefined;
    if (prometheusBinary) {
      const child = startPrometheus(prometheusBinary, {
        port: config.PROMETHEUS_PORT,
        targets: { 3001: instancePorts.command, 3002: instancePorts.query, 3003: instancePorts.projector },
        dataDir,
      });
      stoppers.push(() => child.stop());
      prometheusUrl = `http://localhost:${config.PROMETHEUS_PORT}`;
    } else if (config.SHOP_PROMETHEUS === 'auto') {
      say('Prometheus: not installed; metrics stay available at each service\'s /metrics');
    }

    return {
      url,
      databaseUrl: postgres.url,
      redisUrl: redis.url,
      natsUrl: nats.url,
      gateway: nginx ? 'nginx' : 'node',
      prometheusUrl,
      ports: { command: config.COMMAND_PORT, query: config.QUERY_PORT, projector: config.PROJECTOR_PORT },
      instancePorts,
      services,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
