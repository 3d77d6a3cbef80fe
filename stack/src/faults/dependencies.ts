import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import pg from 'pg';
import { freePort } from '@shop/service-kit';
import { waitUntil } from '../infra/child.js';
import { which } from '../infra/which.js';

/**
 * A dependency the harness owns: a real server process of its own (never the machine's shared Postgres, Redis or
 * NATS, which other suites use), on a free port, with its data in the run's folder, so it may be killed with SIGKILL
 * and started again on the same data.
 */
export interface OwnedDependency {
  name: 'postgres' | 'redis' | 'nats';
  port: number;
  /** SIGKILL to the server and every process it started (Postgres' backends too): a crash, not a shutdown. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const POSTGRES_BIN = process.env.SHOP_FAULTS_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** PostgreSQL refuses to run as root: as root, its processes run as the `postgres` account. */
function postgresAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** Groups still running: a harness that exits early (an exception, Ctrl-C) takes them with it. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A child in a process group of its own, so a kill reaches everything it forked. */
function startGroup(command: string, args: string[], account?: { uid: number; gid: number }): ChildProcess {
  const child = spawn(command, args, { detached: true, stdio: 'ignore', ...(account ?? {}) });
  child.on('error', () => undefined);
  const pid = child.pid;
  if (pid !== undefined) {
    liveGroups.add(pid);
    child.once('exit', () => liveGroups.delete(pid));
  }
  return child;
}

async function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid!, signal);
  } catch {
    return;
  }
  await exited;
}

/** Wraps a server command line into kill/start/stop, checking readiness with `answers`. */
function ownedProcess(
  name: OwnedDependency['name'],
  port: number,
  command: string,
  args: string[],
  answers: () => Promise<unknown>,
  account?: { uid: number; gid: number },
): OwnedDependency {
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = startGroup(command, args, account);
    await waitUntil(name, answers, 30_000);
  };
  return {
    name,
    port,
    start,
    kill: () => killGroup(child, 'SIGKILL'),
    stop: () => killGroup(child, 'SIGTERM'),
  };
}

export async function startOwnedPostgres(dir: string): Promise<OwnedDependency & { url: string }> {
  const port = await freePort();
  const account = postgresAccount();
  const dataDir = join(dir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  if (account) chownSync(dataDir, account.uid, account.gid);
  execFileSync(join(POSTGRES_BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'], {
    stdio: 'ignore',
    ...(account ?? {}),
  });
  const url = `postgres://postgres@127.0.0.1:${port}/shop`;
  const answers = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  // fsync off: a SIGKILL of the server is survived (the OS keeps what was written); only a machine crash is not.
  const args = ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'];
  const server = ownedProcess('postgres', port, join(POSTGRES_BIN, 'postgres'), args, answers, account);
  await server.start();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE shop');
  await admin.end();
  return { ...server, url };
}

export async function startOwnedRedis(): Promise<OwnedDependency & { url: string }> {
  const port = await freePort();
  const answers = async (): Promise<void> => {
    const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  };
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const server = ownedProcess('redis', port, which('redis-server') ?? 'redis-server', args, answers);
  await server.start();
  return { ...server, url: `redis://127.0.0.1:${port}` };
}

export async function startOwnedNats(dir: string): Promise<OwnedDependency & { url: string }> {
  const port = await freePort();
  const storeDir = join(dir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const answers = async (): Promise<void> => {
    const nc = await connect({ servers: `nats://127.0.0.1:${port}`, timeout: 1_000, maxReconnectAttempts: 0 });
    try {
      await (await nc.jetstreamManager()).getAccountInfo();
    } finally {
      await nc.close();
    }
  };
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
  const server = ownedProcess('nats', port, which('nats-server') ?? 'nats-server', args, answers);
  await server.start();
  return { ...server, url: `nats://127.0.0.1:${port}` };
}
