import type { GenericContainer, StartedTestContainer, WaitStrategy } from 'testcontainers';
import { testInfraConfig, type TestInfraConfig } from './config.js';
import { errorMessage, retryUntil, withTimeout } from './retry.js';

export type InfraSource = 'container' | 'local';
export type InfraKind = 'postgres' | 'redis' | 'nats';

/** What every helper hands a suite: where its server is, where that came from, and how to let it go. */
export interface TestInfra {
  url: string;
  source: InfraSource;
  stop(): Promise<void>;
}

type Testcontainers = typeof import('testcontainers');

const DOCKER_PROBE_TIMEOUT_MS = 10_000;
/** In `auto` a pull that has not finished by then counts as "cannot be pulled" (the local server is used). */
const AUTO_PULL_TIMEOUT_MS = 120_000;
export const READY_TIMEOUT_MS = 60_000;

let testcontainers: Promise<Testcontainers> | undefined;

/**
 * testcontainers, loaded only after its environment is set: Ryuk's image cannot be pulled without a registry,
 * and without a host override it pulls `alpine` to find the gateway. Both are left alone when set by the caller.
 */
export function loadTestcontainers(): Promise<Testcontainers> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  testcontainers ??= import('testcontainers');
  return testcontainers;
}

let dockerProbe: Promise<string | undefined> | undefined;

/** Whether a Docker engine answers: undefined when it does, else why not. Probed once per process. */
function probeDocker(): Promise<string | undefined> {
  dockerProbe ??= (async () => {
    try {
      const tc = await loadTestcontainers();
      const timeoutMessage = `no answer in ${DOCKER_PROBE_TIMEOUT_MS} ms`;
      await withTimeout(tc.getContainerRuntimeClient(), DOCKER_PROBE_TIMEOUT_MS, timeoutMessage);
      return undefined;
    } catch (err) {
      return `no Docker engine (${firstLine(errorMessage(err))})`;
    }
  })();
  return dockerProbe;
}

const imageChecks = new Map<string, Promise<string | undefined>>();

/** Whether `image` is present or could be pulled: undefined when it is there now, else why not. */
function ensureImage(image: string, pullTimeoutMs: number | undefined): Promise<string | undefined> {
  let check = imageChecks.get(image);
  if (!check) {
    check = (async () => {
      const tc = await loadTestcontainers();
      const client = await tc.getContainerRuntimeClient();
      const name = tc.ImageName.fromString(image);
      if (await client.image.exists(name)) return undefined;
      try {
        const pull = client.image.pull(name);
        const timeoutMessage = `pull still running after ${pullTimeoutMs} ms`;
        await (pullTimeoutMs === undefined ? pull : withTimeout(pull, pullTimeoutMs, timeoutMessage));
      } catch (err) {
        return `image ${image} is not present and cannot be pulled: ${firstLine(errorMessage(err))}`;
      }
      // A pull can "succeed" with the error only inside its progress stream.
      return (await client.image.exists(name)) ? undefined : `image ${image} is not present and cannot be pulled`;
    })();
    imageChecks.set(image, check);
  }
  return check;
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? text).replace(/\s+/g, ' ').trim();
}

const announced = new Set<InfraKind>();

/**
 * Decides where `kind` comes from. `local` mode: the local server, silently. `containers` mode: a container, or an
 * error saying why not. `auto`: a container when possible, else the local server and one line on stderr (once
 * per kind and process) saying so and why.
 */
export async function chooseSource(kind: InfraKind, image: string, localAddress: string): Promise<InfraSource> {
  const mode = testInfraConfig().SHOP_TEST_INFRA;
  if (mode === 'local') return 'local';
  const why =
    (await probeDocker()) ?? (await ensureImage(image, mode === 'containers' ? undefined : AUTO_PULL_TIMEOUT_MS));
  if (why === undefined) return 'container';
  if (mode === 'containers') throw new Error(`[testing] ${kind}: SHOP_TEST_INFRA=containers but ${why}`);
  if (!announced.has(kind)) {
    announced.add(kind);
    // One plain line: console.* under jest adds a stack trace to every message.
    process.stderr.write(`[testing] ${kind}: ${why}, using local server ${localAddress}\n`);
  }
  return 'local';
}

const SETTINGS = {
  postgres: { image: 'SHOP_TEST_POSTGRES_IMAGE', localUrl: 'TEST_DATABASE_URL' },
  redis: { image: 'SHOP_TEST_REDIS_IMAGE', localUrl: 'TEST_REDIS_URL' },
  nats: { image: 'SHOP_TEST_NATS_IMAGE', localUrl: 'TEST_NATS_URL' },
} as const satisfies Record<InfraKind, { image: keyof TestInfraConfig; localUrl: keyof TestInfraConfig }>;

/**
 * Starts `kind` for one suite from where {@link chooseSource} says: `start.container` with its configured image, or
 * `start.local` with its configured local server URL.
 */
export async function startInfra<T extends TestInfra>(
  kind: InfraKind,
  start: { container: (image: string) => Promise<T>; local: (url: string) => Promise<T> },
): Promise<T> {
  const config = testInfraConfig();
  const image = config[SETTINGS[kind].image];
  const localUrl = config[SETTINGS[kind].localUrl];
  const source = await chooseSource(kind, image, new URL(localUrl).host);
  return source === 'container' ? start.container(image) : start.local(localUrl);
}

/** Why a suite cannot use the local server of `kind`: `what` failed, with the client's own error as the cause. */
export function localServerFailure(kind: InfraKind, what: string, err: unknown): Error {
  return new Error(`[testing] ${kind}: ${what}: ${errorMessage(err)}`, { cause: err });
}

/**
 * testcontainers' own wait is skipped: each kind instead waits for a real client round trip (SELECT 1, PING,
 * JetStream info), which works the same for the official and the shop-local images.
 */
const noWait: WaitStrategy = {
  waitUntilReady: () => Promise.resolve(),
  withStartupTimeout() {
    return this;
  },
  isStartupTimeoutSet: () => false,
  getStartupTimeout: () => READY_TIMEOUT_MS,
};

export interface RunningContainer {
  container: StartedTestContainer;
  /** Host-side address of the container's `port`, as `host:port`. */
  address: string;
  stop: () => Promise<void>;
}

/** Starts `image` (labelled org.testcontainers=true) and returns once `ready` succeeds against its mapped port. */
export async function runContainer(
  kind: InfraKind,
  image: string,
  port: number,
  configure: (container: GenericContainer) => GenericContainer,
  ready: (address: string) => Promise<void>,
): Promise<RunningContainer> {
  const tc = await loadTestcontainers();
  const container = await configure(new tc.GenericContainer(image).withExposedPorts(port))
    .withWaitStrategy(noWait)
    .withLabels({ 'org.shop.testing': kind })
    .start();
  // 'localhost' may resolve to ::1 first; the published port is certainly there on IPv4.
  const host = container.getHost() === 'localhost' ? '127.0.0.1' : container.getHost();
  const address = `${host}:${container.getMappedPort(port)}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await container.stop({ timeout: 0, remove: true });
  };
  try {
    await retryUntil(`[testing] ${kind} container ${image} at ${address}`, () => ready(address), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 100,
      abort: async () => {
        const state = await tc.getContainerRuntimeClient().then((client) =>
          client.container.inspect(client.container.getById(container.getId())),
        );
        if (state.State.Running) return undefined;
        const logs = await readLogs(container);
        return `container exited with code ${state.State.ExitCode}; its last output:\n${logs}`;
      },
    });
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { container, address, stop };
}

async function readLogs(container: StartedTestContainer): Promise<string> {
  try {
    const stream = await container.logs({ tail: 30 });
    const chunks: string[] = [];
    await withTimeout(
      new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer | string) => chunks.push(chunk.toString()));
        stream.on('end', resolve);
        stream.on('error', () => resolve());
      }),
      2_000,
      'logs timed out',
    ).catch(() => undefined);
    stream.destroy();
    return chunks.join('').trimEnd();
  } catch (err) {
    return `(logs unavailable: ${errorMessage(err)})`;
  }
}
