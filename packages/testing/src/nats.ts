import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { localServerFailure, runContainer, startInfra, type TestInfra } from './containers.js';

export interface TestNats extends TestInfra {
  /**
   * Unique per handle (`t` + 12 hex digits): prefix stream, consumer and bucket names and subjects with it, since
   * on the local server every suite shares one JetStream account.
   */
  namespace: string;
  /**
   * Removes the container. On the local server: deletes the streams named `<namespace>…`, and the KV and object
   * store buckets named `<namespace>…` (streams `KV_<namespace>…`, `OBJ_<namespace>…`).
   */
  stop(): Promise<void>;
}

/**
 * A NATS server with JetStream for one test suite: a fresh container (see `SHOP_TEST_NATS_IMAGE`, run with
 * `-js`), or the local server (`TEST_NATS_URL`) with a fresh namespace.
 */
export function startTestNats(): Promise<TestNats> {
  return startInfra('nats', { container: startContainer, local: startLocal });
}

function newNamespace(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

async function startContainer(image: string): Promise<TestNats> {
  const running = await runContainer(
    'nats',
    image,
    4222,
    // Replaces the image's CMD (the official one has no JetStream by default); both images' entrypoint is nats-server.
    (container) => container.withCommand(['-js', '-p', '4222']),
    (address) => withNats(`nats://${address}`, () => Promise.resolve()),
  );
  return { url: `nats://${running.address}`, source: 'container', namespace: newNamespace(), stop: running.stop };
}

async function startLocal(url: string): Promise<TestNats> {
  try {
    await withNats(url, () => Promise.resolve());
  } catch (err) {
    throw localServerFailure('nats', `the local server ${new URL(url).host} does not answer with JetStream`, err);
  }
  const namespace = newNamespace();
  let stopped = false;
  return {
    url,
    source: 'local',
    namespace,
    async stop() {
      if (stopped) return;
      stopped = true;
      await withNats(url, async (nc) => {
        const jsm = await nc.jetstreamManager();
        const owned = [namespace, `KV_${namespace}`, `OBJ_${namespace}`];
        const doomed: string[] = [];
        for await (const name of jsm.streams.names()) {
          if (owned.some((prefix) => name.startsWith(prefix))) doomed.push(name);
        }
        for (const name of doomed) await jsm.streams.delete(name);
      });
    },
  };
}

/** Connects without reconnecting, proves JetStream answers, runs `work`, closes. */
async function withNats(url: string, work: (nc: NatsConnection) => Promise<void>): Promise<void> {
  const nc = await connect({ servers: url, reconnect: false, timeout: 2_000 });
  try {
    await nc.jetstreamManager({ timeout: 2_000 });
    await work(nc);
  } finally {
    await nc.close();
  }
}
