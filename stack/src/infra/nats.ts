import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import { spawnManaged, waitUntil } from './child.js';
import type { OptionalServer } from './redis.js';
import { which } from './which.js';

const LOCAL_NATS_PORT = 4_223;

/** True when a NATS server with JetStream enabled answers at `url`. */
async function hasJetStream(url: string): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: 1_500, maxReconnectAttempts: 0 });
    try {
      await (await nc.jetstreamManager()).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return false;
  }
}

/** NATS JetStream at `url` if it answers; else a local `nats-server -js`; else none (projections follow the store). */
export async function ensureNats(url: string, dataDir: string, say: (line: string) => void): Promise<OptionalServer> {
  if (url === '') {
    say('NATS: disabled (empty NATS_URL); projections follow the store directly (catch-up feed)');
    return { url: undefined, origin: 'absent', stop: async () => undefined };
  }
  if (await hasJetStream(url)) return { url, origin: 'existing', stop: async () => undefined };
  const binary = which('nats-server');
  if (!binary) {
    say('NATS: not reachable and nats-server is not installed; projections follow the store directly (catch-up feed)');
    return { url: undefined, origin: 'absent', stop: async () => undefined };
  }
  const storeDir = resolve(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  say(`NATS: JetStream not reachable at ${url}; starting ${binary} on :${LOCAL_NATS_PORT}`);
  const child = spawnManaged({
    name: 'nats',
    command: binary,
    args: ['-a', '127.0.0.1', '-p', String(LOCAL_NATS_PORT), '-js', '-sd', storeDir],
    logFile: join(dataDir, 'logs', 'nats.log'),
  });
  const localUrl = `nats://127.0.0.1:${LOCAL_NATS_PORT}`;
  await waitUntil('nats-server', async () => {
    if (!(await hasJetStream(localUrl))) throw new Error('no JetStream');
  }, 10_000);
  return { url: localUrl, origin: 'started', stop: () => child.stop() };
}
