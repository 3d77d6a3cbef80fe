import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnManaged, waitUntil } from './child.js';
import { which } from './which.js';

/** A server the shop can run without (Redis, NATS): where it is, and how to stop it if the stack started it. */
export interface OptionalServer {
  url: string | undefined;
  origin: 'existing' | 'started' | 'absent';
  stop(): Promise<void>;
}

export interface OptionalServerKind {
  /** Its name in the stack's lines (`Redis`, `NATS`). */
  label: string;
  /** The setting that points at it; empty disables it. */
  setting: string;
  /** What the shop does without it. */
  without: string;
  /** The binary to start when nothing answers at the setting's URL, and the loopback port it is given. */
  binary: string;
  localPort: number;
  localUrl: string;
  /** Its arguments; the folders it names are made first. */
  args(dataDir: string): { args: string[]; folders?: string[] };
  /** Undefined when the server at `url` answers as the shop needs it, else what is missing (`no PONG`). */
  missing(url: string): Promise<string | undefined>;
  /** How a URL that does not answer is reported (`not reachable`, `JetStream not reachable`). */
  unreachable: string;
}

const none: OptionalServer = { url: undefined, origin: 'absent', stop: async () => undefined };

/** The server at `url` if it answers; else the local binary, started on its own port; else none (and says so). */
export async function ensureOptionalServer(kind: OptionalServerKind, url: string, dataDir: string, say: (line: string) => void): Promise<OptionalServer> {
  if (url === '') {
    say(`${kind.label}: disabled (empty ${kind.setting}); ${kind.without}`);
    return none;
  }
  if ((await kind.missing(url)) === undefined) return { url, origin: 'existing', stop: async () => undefined };
  const binary = which(kind.binary);
  if (!binary) {
    say(`${kind.label}: not reachable and ${kind.binary} is not installed; ${kind.without}`);
    return none;
  }
  const { args, folders = [] } = kind.args(dataDir);
  for (const folder of folders) mkdirSync(folder, { recursive: true });
  say(`${kind.label}: ${kind.unreachable} at ${url}; starting ${binary} on :${kind.localPort}`);
  const child = spawnManaged({ name: kind.label.toLowerCase(), command: binary, args, logFile: join(dataDir, 'logs', `${kind.label.toLowerCase()}.log`) });
  await waitUntil(kind.binary, async () => {
    const missing = await kind.missing(kind.localUrl);
    if (missing !== undefined) throw new Error(missing);
  }, 10_000);
  return { url: kind.localUrl, origin: 'started', stop: () => child.stop() };
}
