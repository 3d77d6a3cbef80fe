import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, generateEd25519KeyPair, keyText } from '@shop/service-kit';
import { stackJwtKeys, type StackJwtKeys } from './dev-keys.js';
import { localDataKeyEncryptionKey } from './infra/data-key.js';
import { StackConfig } from './config.js';
import { repoPath } from './paths.js';
import { startStack } from './stack.js';

/** Strong enough for production: 40 random-looking characters (the checks never connect with it). */
const STRONG = 'q3Vh9Zt1xLw0pK7bN2mR5sY8uE4cJ6aDfGiHoTvW';
const STRONG_DB = `postgres://shop_command:${STRONG}@127.0.0.1:1/shop`;
const SERVICES = { command: 'command-service/dist/main.js', query: 'query-service/dist/main.js', projector: 'projector/dist/main.js' } as const;

interface Run {
  code: number | null;
  stderr: string;
  ms: number;
}

/**
 * Starts a built service with exactly `env` (plus PATH) and waits for it to exit; fails the test if it keeps running.
 * A refusing service exits on its own as soon as its modules are loaded (≈ 1–2 s here; up to tens of seconds on a
 * machine busy with the whole suite), before any connection: a service that started would never exit.
 */
const EXIT_WITHIN_MS = 60_000;
function runService(service: keyof typeof SERVICES, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [repoPath(SERVICES[service])], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${service} did not exit within ${EXIT_WITHIN_MS} ms: it started instead of refusing. stderr: ${stderr}`));
    }, EXIT_WITHIN_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

/**
 * NODE_ENV=production: each service, built, refuses to start on a known or weak secret and on DEV_USERS_PASSWORD,
 * fast and naming the setting (issue 14 §3). And it does start when the settings are fit.
 */
describe('production mode refuses known and weak secrets (each built service)', () => {
  let dataDir: string;
  let devKeys: StackJwtKeys;
  let devDataKey: string;
  const ownKeys = generateEd25519KeyPair();
  const ownDataKey = randomBytes(32).toString('base64');

  beforeAll(() => {
    // The pair `npm start` generates: a copied development key is the likeliest known key in a deployment.
    dataDir = mkdtempSync(join(tmpdir(), 'shop-production-'));
    devKeys = stackJwtKeys({ privateKey: undefined, publicKey: undefined }, dataDir, () => undefined);
    devDataKey = localDataKeyEncryptionKey(undefined, dataDir, () => undefined);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const production = (env: Record<string, string>): Record<string, string> => ({ NODE_ENV: 'production', SHOP_DATA_DIR: dataDir, LOG_LEVEL: 'fatal', DATA_KEY_ENCRYPTION_KEY: ownDataKey, ...env });

  const cases: Array<[keyof typeof SERVICES, string, (dev: StackJwtKeys) => Record<string, string>, string[]]> = [
    ['command', 'DEV_USERS_PASSWORD set', () => ({ JWT_PRIVATE_KEY: keyText(ownKeys.privateKey), DATABASE_URL: STRONG_DB, DEV_USERS_PASSWORD: 'shop-dev-password' }), ['DEV_USERS_PASSWORD']],
    ['command', 'the development DATABASE_URL (no password)', () => ({ JWT_PRIVATE_KEY: keyText(ownKeys.privateKey) }), ['DATABASE_URL']],
    ['command', 'the stack\'s development master key of personal data', () => ({ JWT_PRIVATE_KEY: keyText(ownKeys.privateKey), DATABASE_URL: STRONG_DB, DATA_KEY_ENCRYPTION_KEY: devDataKey }), ['DATA_KEY_ENCRYPTION_KEY']],
    ['command', 'the stack\'s development signing key', (dev) => ({ JWT_PRIVATE_KEY: dev.privateKey, DATABASE_URL: STRONG_DB }), ['JWT_PRIVATE_KEY']],
    ['query', 'the stack\'s development public key and a default DB password', (dev) => ({ JWT_PUBLIC_KEY: dev.publicKey, DATABASE_URL: 'postgres://shop_query:postgres@db/shop' }), ['JWT_PUBLIC_KEY', 'DATABASE_URL']],
    ['query', 'DEV_USERS_PASSWORD set and a short Redis password', () => ({ JWT_PUBLIC_KEY: keyText(ownKeys.publicKey), DATABASE_URL: STRONG_DB, REDIS_URL: 'redis://:hunter2@redis:6379', DEV_USERS_PASSWORD: 'anything-at-all' }), ['DEV_USERS_PASSWORD', 'REDIS_URL']],
    ['projector', 'the repository\'s dev password in DATABASE_URL', () => ({ DATABASE_URL: 'postgres://shop_projector:shop-dev-password@db/shop' }), ['DATABASE_URL']],
    ['projector', 'DEV_USERS_PASSWORD set and the development DATABASE_URL', () => ({ DEV_USERS_PASSWORD: 'shop-dev-password' }), ['DEV_USERS_PASSWORD', 'DATABASE_URL']],
  ];

  it.each(cases)('%s service: %s → exits non-zero at once, naming the setting', async (service, _what, env, named) => {
    const run = await runService(service, production(env(devKeys)));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refuses to start with NODE_ENV=production');
    for (const name of named) expect(run.stderr).toMatch(new RegExp(`^  ${name}: `, 'm'));
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, EXIT_WITHIN_MS + 10_000);

  it('an unreadable key fails in any mode, naming the setting (a configuration error, not a production refusal)', async () => {
    const run = await runService('command', { JWT_PRIVATE_KEY: 'not-a-key', SHOP_DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/JWT_PRIVATE_KEY: the private key cannot be read/);
    expect(run.stderr).not.toContain('NODE_ENV=production');
  }, EXIT_WITHIN_MS + 10_000);

  it('npm start refuses NODE_ENV=production before it starts anything', async () => {
    const lines: string[] = [];
    const config = StackConfig.parse({ NODE_ENV: 'production', SHOP_DATA_DIR: dataDir });
    await expect(startStack(config, (line) => lines.push(line))).rejects.toThrow(/npm start is the development path .* refuses NODE_ENV=production/);
    expect(lines).toEqual([]);
  });

  it('starts in production with settings fit for it (own key, strong database password)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [repoPath(SERVICES.command)], {
      env: { PATH: process.env.PATH, ...production({ JWT_PRIVATE_KEY: keyText(ownKeys.privateKey), DATABASE_URL: STRONG_DB, PORT: String(port) }) },
      stdio: 'ignore',
    });
    try {
      // Up without a database (none answers on port 1): /healthz is the process, /readyz would be the database.
      const deadline = Date.now() + EXIT_WITHIN_MS;
      let status = 0;
      while (Date.now() < deadline && child.exitCode === null && status !== 200) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect({ status, exitCode: child.exitCode }).toEqual({ status: 200, exitCode: null });
    } finally {
      child.kill('SIGKILL');
    }
  }, EXIT_WITHIN_MS + 10_000);
});
