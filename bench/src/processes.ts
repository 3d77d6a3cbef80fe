import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, SERVICE_NODE_FLAGS } from '@shop/service-kit';
import { residentMegabytes } from './memory.js';

export interface RunningService {
  base: string;
  process: ChildProcess;
  /** Its resident memory now (VmRSS, MB). */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Runs a Node entry point in its own process on a free port (`PORT`), as `npm start` runs the services (with
 * SERVICE_NODE_FLAGS: peers and hello worlds too, so both sides of a ratio run on the same runtime settings), and
 * resolves once `readyPath` answers 2xx: what a suite measures then includes the real HTTP stack.
 */
export async function startNodeService(entry: string, env: NodeJS.ProcessEnv, readyPath = '/readyz', args: string[] = []): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, entry, ...args], {
    // Every service of one run shares one master key of personal data (fixed: benchmark databases are throwaway).
    env: { ...process.env, LOG_LEVEL: 'warn', DATA_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 0x42).toString('base64'), ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${base}${readyPath}`).then((r) => r.ok, () => false);
    if (ready) return { base, process: child, rss: () => residentMegabytes(child.pid!), stop };
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`${entry} did not become ready at ${base}${readyPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
