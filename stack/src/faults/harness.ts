import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, generateEd25519KeyPair, keyText } from '@shop/service-kit';
import { StackConfig } from '../config.js';
import { spawnManaged, waitUntil, type ManagedChild } from '../infra/child.js';
import { repoPath } from '../paths.js';
import { startStack, type RunningStack } from '../stack.js';
import { startOwnedNats, startOwnedPostgres, startOwnedRedis, type OwnedDependency } from './dependencies.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { checkCache, checkCommands, checkRebuilds, waitForProjections, type Verdict } from './invariants.js';
import type { DependencyName, FaultTarget, Scenario, ServiceName } from './scenarios.js';
import { isOk, Traffic, type TrafficCounts } from './traffic.js';

export interface ScenarioResult {
  name: string;
  holdMs: number;
  /** From `heal` to the first order placed and read back (with its Consistency-Token) through the gateway. */
  recoveryMs: number | undefined;
  traffic: TrafficCounts;
  verdicts: Verdict[];
  ok: boolean;
  /** The scenario's whole time: traffic, fault, recovery and checks. */
  seconds: number;
}

export interface HarnessOptions {
  /** Traffic before the fault and after recovery, per scenario. */
  warmupMs: number;
  concurrency: number;
  products: number;
  /**
   * Rebuild and digest every read model after each scenario (full), or only after the last (short: each rebuild is
   * four CLI processes, and a read model that diverged in any scenario stays diverged until a rebuild swaps it out,
   * so the last check still catches it, without naming the scenario).
   */
  digestAfterEach: boolean;
  say: (line: string) => void;
}

const PASSWORD = 'fault-harness-password';
/** A scenario whose shop is not back within this long fails (and the rest still runs). */
const RECOVERY_LIMIT_MS = 90_000;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything a run owns, to stop in reverse order. */
interface Running {
  dir: string;
  dependencies: Record<DependencyName, OwnedDependency & { url: string }>;
  proxies: Record<DependencyName, FaultProxy>;
  stack: RunningStack;
  services: Record<ServiceName, ManagedChild>;
  pool: pg.Pool;
  /** The services' environment, for the processes the harness itself starts (second projector, command service). */
  env: NodeJS.ProcessEnv;
  ports: { command: number; projector1: number };
}

/**
 * The checker's pool: straight to the database, past the proxy. Its idle connections die when Postgres is killed on
 * purpose; that must not end the harness (pg emits it as the pool's 'error'), the next check opens new ones.
 */
function checkerPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  return pool;
}

const viaProxy = (url: string, proxy: FaultProxy): string => {
  const parsed = new URL(url);
  parsed.port = String(proxy.port);
  return parsed.toString().replace(/\/$/, '');
};

/**
 * Brings up the shop as `npm start` does (nginx in front, services as supervised processes) on dependencies of the
 * harness's own, each behind a fault proxy, with the projector as two partitions in two processes.
 */
async function bringUp(say: (line: string) => void): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'shop-faults-'));
  // Postgres runs as its own account when the harness is root: it must reach its folder.
  chmodSync(dir, 0o755);
  const [postgres, redis, nats] = await Promise.all([startOwnedPostgres(dir), startOwnedRedis(), startOwnedNats(dir)]);
  const dependencies = { postgres, redis, nats };
  const proxies = {
    postgres: await startFaultProxy({ host: '127.0.0.1', port: postgres.port }),
    redis: await startFaultProxy({ host: '127.0.0.1', port: redis.port }),
    nats: await startFaultProxy({ host: '127.0.0.1', port: nats.port }),
  };
  const keys = generateEd25519KeyPair();
  const settings = {
    DATABASE_URL: viaProxy(postgres.url, proxies.postgres),
    REDIS_URL: viaProxy(redis.url, proxies.redis),
    NATS_URL: viaProxy(nats.url, proxies.nats),
    DATA_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    JWT_PRIVATE_KEY: keyText(keys.privateKey),
    JWT_PUBLIC_KEY: keyText(keys.publicKey),
    DEV_USERS_PASSWORD: PASSWORD,
  };
  // The services inherit the harness's environment (stack.ts): two partitions, the stack's projector runs the first;
  // the traffic is one client, so the per-client write limit is lifted.
  Object.assign(process.env, {
    PROJECTION_PARTITIONS: '2',
    PROJECTOR_PARTITIONS: '0',
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_PER_SECOND: '1000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const config = StackConfig.parse({
    ...settings,
    SHOP_PORT: await freePort(),
    SHOP_HTTPS_PORT: 0,
    COMMAND_PORT: await freePort(),
    QUERY_PORT: await freePort(),
    PROJECTOR_PORT: await freePort(),
    SHOP_DATA_DIR: join(dir, 'stack'),
    SHOP_GATEWAY: 'nginx',
    SHOP_PROMETHEUS: 'off',
  });
  const stack = await startStack(config, say);
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings, TRUSTED_PROXIES: 'loopback', NATS_STREAM: config.NATS_STREAM, NATS_SUBJECT_PREFIX: config.NATS_SUBJECT_PREFIX };
  const projector1Port = await freePort();
  const projector1 = spawnManaged({
    name: 'projector-1',
    command: process.execPath,
    args: ['--enable-source-maps', repoPath('projector/dist/main.js')],
    env: { ...env, PORT: String(projector1Port), PROJECTOR_PARTITIONS: '1', JWT_PRIVATE_KEY: undefined },
    logFile: join(dir, 'stack', 'logs', 'projector-1.log'),
    restart: true,
    ipc: true,
    onUnexpectedExit: (who, code, signal) => say(`${who} exited (${signal ?? `code ${code}`}); restarting`),
  });
  await waitUntil('projector-1', () => ready(projector1Port), 60_000);
  const [command, query, projector0] = stack.services as [ManagedChild, ManagedChild, ManagedChild];
  return {
    dir,
    dependencies,
    proxies,
    stack,
    services: { command, query, 'projector-0': projector0, 'projector-1': projector1 },
    pool: checkerPool(postgres.url),
    env,
    ports: { command: config.COMMAND_PORT, projector1: projector1Port },
  };
}

const pidsOf = (services: Record<ServiceName, ManagedChild>): Map<ServiceName, number | undefined> =>
  new Map(Object.entries(services).map(([name, child]) => [name as ServiceName, child.process.pid]));

/** A fault in a dependency must not crash a service: each one not ended on purpose is still the same process. */
function survivors(before: Map<ServiceName, number | undefined>, after: Map<ServiceName, number | undefined>, ended: ServiceName | undefined): Verdict {
  const restarted = [...before].filter(([name, pid]) => name !== ended && after.get(name) !== pid).map(([name]) => name);
  return {
    invariant: 'every service not killed on purpose rode the fault out in the same process',
    ok: restarted.length === 0,
    detail: restarted.length ? `restarted: ${restarted.join(', ')}` : `${before.size - (ended ? 1 : 0)} services kept their process`,
  };
}

async function ready(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  if (!response.ok) throw new Error(`answered ${response.status}`);
}

async function tearDown(running: Running): Promise<void> {
  await running.pool.end().catch(() => undefined);
  // The harness may have replaced the stack's command service: stop whichever runs, then the rest of the stack.
  await running.services.command.stop();
  await running.services['projector-1'].stop();
  await running.stack.stop();
  for (const proxy of Object.values(running.proxies)) await proxy.close();
  for (const dependency of Object.values(running.dependencies)) await dependency.stop();
  rmSync(running.dir, { recursive: true, force: true });
}

async function login(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (!response.ok) throw new Error(`login as ${email} answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

async function createProducts(url: string, adminToken: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const response = await fetch(`${url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ sku: `FAULT-${n}`, name: `Fault product ${n}`, description: 'for the fault harness', priceCents: 500 + n, currency: 'EUR', initialStock: 1_000_000 }),
    });
    if (response.status !== 201) throw new Error(`creating a product answered ${response.status}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

/** Until an order placed through the gateway is answered 201 and read back at its Consistency-Token: ms taken. */
async function timeToRecover(url: string, traffic: Traffic, shopperToken: string): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < RECOVERY_LIMIT_MS) {
    const { record, token } = await traffic.place();
    if (isOk(record.first) && token) {
      const read = await fetch(`${url}/api/orders/${record.orderId}`, {
        headers: { authorization: `Bearer ${shopperToken}`, 'consistency-token': token },
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      if (read?.status === 200) return Date.now() - started;
    }
    await pause(100);
  }
  return undefined;
}

/** Runs `list` in turn under traffic, checking every invariant after each; resolves with one result per scenario. */
export async function runFaults(list: readonly Scenario[], options: HarnessOptions): Promise<ScenarioResult[]> {
  const { say } = options;
  const started = Date.now();
  const running = await bringUp(say);
  say(`shop up at ${running.stack.url} (nginx) in ${Date.now() - started} ms; projector as 2 partitions; every dependency behind a fault proxy`);
  const results: ScenarioResult[] = [];
  try {
    const url = running.stack.url;
    const adminToken = await login(url, 'admin@shop.local');
    const shopperToken = await login(url, 'shopper@shop.local');
    const productIds = await createProducts(url, adminToken, options.products);

    const target: FaultTarget = {
      services: running.services,
      dependencies: running.dependencies,
      proxies: running.proxies,
      restartCommandService: async (skewMs) => {
        await running.services.command.stop();
        running.services.command = spawnManaged({
          name: 'command-service',
          command: process.execPath,
          args: ['--enable-source-maps', repoPath('command-service/dist/main.js')],
          env: { ...running.env, PORT: String(running.ports.command), JWT_PUBLIC_KEY: undefined, SHOP_CLOCK_SKEW_MS: String(skewMs) },
          logFile: join(running.dir, 'stack', 'logs', `command-service${skewMs ? `-skew${skewMs}` : ''}.log`),
          restart: true,
          ipc: true,
        });
        await waitUntil('command-service', () => ready(running.ports.command), 60_000);
      },
    };
    const records: Traffic['records'] = [];
    for (const [index, scenario] of list.entries()) {
      say(`— ${scenario.name}`);
      const scenarioStarted = Date.now();
      const pids = pidsOf(running.services);
      const traffic = new Traffic(url, shopperToken, productIds, options.concurrency);
      traffic.start();
      // A fault that cannot be injected or healed (a server that does not come back) is this scenario's failure,
      // reported as such; the run goes on with the next one.
      let recoveryMs: number | undefined;
      let faultError: string | undefined;
      try {
        await pause(options.warmupMs);
        await scenario.inject(target);
        await pause(scenario.holdMs);
        await scenario.heal(target);
        recoveryMs = await timeToRecover(url, traffic, shopperToken);
        await pause(Math.min(options.warmupMs, 2_000));
      } catch (error) {
        faultError = String(error);
      }
      await traffic.stop();
      await traffic.retryFailed(60_000);
      records.push(...traffic.records);
      const checksStarted = Date.now();

      const verdicts: Verdict[] = [
        { invariant: 'the fault was injected and healed as scripted', ok: faultError === undefined, detail: faultError ?? scenario.name },
        { invariant: 'the shop took writes and served them again after the fault', ok: recoveryMs !== undefined, detail: recoveryMs === undefined ? `not within ${RECOVERY_LIMIT_MS} ms` : `${recoveryMs} ms` },
        survivors(pids, pidsOf(running.services), scenario.ends),
        ...(await checkCommands(running.pool, records)),
      ];
      const caughtUp = await waitForProjections(running.pool, 60_000);
      verdicts.push(caughtUp);
      if (caughtUp.ok) {
        const orderIds = records.filter((r) => r.kind === 'place' && r.orderId).map((r) => r.orderId!).slice(-20);
        verdicts.push(await checkCache(running.pool, url, shopperToken, productIds, orderIds));
        if (options.digestAfterEach || index === list.length - 1) {
          verdicts.push(...(await checkRebuilds({ ...running.env, DATABASE_URL: running.dependencies.postgres.url, REDIS_URL: '' })));
        }
      }
      const ok = verdicts.every((verdict) => verdict.ok);
      const seconds = (Date.now() - scenarioStarted) / 1000;
      results.push({ name: scenario.name, holdMs: scenario.holdMs, recoveryMs, traffic: traffic.counts, verdicts, ok, seconds });
      say(
        `  ${ok ? 'ok' : 'FAILED'}: recovered in ${recoveryMs ?? '—'} ms; ${traffic.counts.writes} writes (${traffic.counts.writesFailed} failed, retried), ${traffic.counts.reads} reads (${traffic.counts.readsFailed} failed); checks ${((Date.now() - checksStarted) / 1000).toFixed(1)} s of ${seconds.toFixed(1)} s`,
      );
      for (const verdict of verdicts.filter((v) => !v.ok)) say(`    ✗ ${verdict.invariant}: ${verdict.detail}`);
    }
  } finally {
    await tearDown(running);
  }
  return results;
}
