import { resolve } from 'node:path';
import { connect } from 'nats';
import { ensureOptionalServer, type OptionalServer } from './optional-server.js';

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
export const ensureNats = (url: string, dataDir: string, say: (line: string) => void): Promise<OptionalServer> =>
  ensureOptionalServer(
    {
      label: 'NATS',
      setting: 'NATS_URL',
      without: 'projections follow the store directly (catch-up feed)',
      binary: 'nats-server',
      localPort: LOCAL_NATS_PORT,
      localUrl: `nats://127.0.0.1:${LOCAL_NATS_PORT}`,
      args: (dataDir) => {
        const storeDir = resolve(dataDir, 'nats');
        return { args: ['-a', '127.0.0.1', '-p', String(LOCAL_NATS_PORT), '-js', '-sd', storeDir], folders: [storeDir] };
      },
      missing: async (at) => ((await hasJetStream(at)) ? undefined : 'no JetStream'),
      unreachable: 'JetStream not reachable',
    },
    url,
    dataDir,
    say,
  );
