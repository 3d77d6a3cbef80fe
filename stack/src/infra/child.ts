import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ManagedChild {
  name: string;
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
  readonly process: ChildProcess;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Restart after an unexpected exit (services); infrastructure is not restarted. */
  restart?: boolean;
  /** Open an IPC channel (Node services use it to notice the stack is gone). */
  ipc?: boolean;
  onUnexpectedExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

/** Runs a child with its output appended to a log file, optionally restarting it if it dies. */
export function spawnManaged(options: SpawnOptions): ManagedChild {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let stopping = false;
  let restarts: number[] = [];
  let current: ChildProcess;

  const start = (): ChildProcess => {
    const child = spawn(options.command, options.args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      // The IPC channel is only a lifeline: services stop when it closes, so no orphan survives the stack.
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      options.onUnexpectedExit?.(options.name, code, signal);
      const now = Date.now();
      restarts = restarts.filter((t) => now - t < 60_000);
      if (options.restart && restarts.length < 5) {
        restarts.push(now);
        setTimeout(() => {
          if (!stopping) current = start();
        }, 500);
      }
    });
    return child;
  };
  current = start();

  return {
    name: options.name,
    logFile: options.logFile,
    get process() {
      return current;
    },
    stop(graceMs = 10_000) {
      stopping = true;
      const child = current;
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(kill);
          log.end();
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** Fails with a clear message when a port the stack needs is already taken (often: a shop still running). */
export async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  const { createServer } = await import('node:net');
  for (const [what, port] of Object.entries(ports)) {
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(error.code === 'EADDRINUSE' ? `port ${port} (${what}) is already in use: is another shop running? Choose another with ${what}=…` : error.message)),
      );
      probe.listen(port, () => probe.close(() => resolve()));
    });
  }
}

/** Resolves once `check` succeeds, retrying every 100 ms; rejects with the last error after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<unknown>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await check();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms: ${String(lastError)}`);
}
