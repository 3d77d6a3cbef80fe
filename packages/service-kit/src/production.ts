import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyIdOf, parseEd25519PublicKey } from './auth/keys.js';

/**
 * Production mode (NODE_ENV=production): a service refuses to start on a secret that anyone could know — a default
 * of this repository, a development key, a short or repetitive value — and on development-only settings. It exits
 * naming each offending setting, before it opens a port or touches the database.
 */

/**
 * Every secret this repository has ever shipped as a default or a test value (README, stack, tests, benchmarks).
 * Keys are never committed (tests and the stack generate theirs), so only strings are listed.
 */
export const KNOWN_DEFAULT_SECRETS: ReadonlySet<string> = new Set([
  'shop-dev-password',
  'local-development-secret-change-me-0123456789',
  'bench-secret-bench-secret-bench-secret',
  'bench-dev-password',
  'integration-password',
  'e2e-dev-password',
  'fault-secret-fault-secret-fault-secret',
  'fault-test-password',
  'correct horse battery',
  'test',
  'a-long-enough-password',
  'long-enough-password',
  'x'.repeat(40),
  'postgres',
  'password',
  'shop',
]);

/** Words that mark a placeholder rather than a generated secret (none is likely inside 32 random characters). */
const PLACEHOLDER_WORDS = ['change', 'example', 'password', 'secret', 'default', 'placeholder', 'sample'];

/** 32 random bytes is the bar; as text that is ≥ 32 characters drawn from a real alphabet (hex, base64, …). */
export const MIN_SECRET_LENGTH = 32;
const MIN_DISTINCT_CHARACTERS = 10;

/** Why `value` is not a secret fit for production, or undefined when it is. */
export function secretWeakness(value: string): string | undefined {
  if (KNOWN_DEFAULT_SECRETS.has(value)) return 'is a default of this repository (published, so not secret)';
  if (value.length < MIN_SECRET_LENGTH) return `is shorter than ${MIN_SECRET_LENGTH} characters (use e.g. \`openssl rand -base64 32\`)`;
  const lower = value.toLowerCase();
  const word = PLACEHOLDER_WORDS.find((w) => lower.includes(w));
  if (word) return `looks like a placeholder (contains "${word}"), not a generated secret`;
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) return 'is too repetitive to be random';
  return undefined;
}

/** A connection URL's password problem, or undefined. Certificates or a Unix socket may stand in for a password. */
export function urlPasswordWeakness(url: string, passwordRequired: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  const password = decodeURIComponent(parsed.password);
  if (!password) {
    if (!passwordRequired) return undefined;
    const socketHost = parsed.hostname === '' || (parsed.searchParams.get('host') ?? '').startsWith('/');
    if (socketHost || parsed.searchParams.has('sslcert')) return undefined;
    return 'carries no password (the development default connects without one); give the service its own role and password';
  }
  const weakness = secretWeakness(password);
  return weakness && `has a password that ${weakness}`;
}

export interface ProductionChecks {
  /** Settings holding a secret string. */
  secrets?: Record<string, string | undefined>;
  /** Connection URLs: a password in one is judged like a secret; where `passwordRequired`, one must be there. */
  urls?: Record<string, { url: string | undefined; passwordRequired: boolean }>;
  /** Ed25519 keys (private or public) that must not be a development key. */
  keys?: Record<string, KeyObject | undefined>;
  /** Development-only settings, refused whatever their value. */
  developmentOnly?: Record<string, string | undefined>;
}

/** Key ids of development keys this machine knows (the stack's generated pair); empty where there are none. */
export type KnownKeyIds = ReadonlySet<string>;

/** Every reason to refuse, one line per setting (`NAME: why`); empty when the settings are fit for production. */
export function productionProblems(checks: ProductionChecks, knownKeyIds: KnownKeyIds = new Set(), developmentSecrets: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(checks.developmentOnly ?? {})) {
    if (value !== undefined) problems.push(`${name}: is for local development only (it seeds accounts with a shared password); unset it`);
  }
  for (const [name, value] of Object.entries(checks.secrets ?? {})) {
    if (value === undefined || value === '') problems.push(`${name}: is required`);
    else if (developmentSecrets.has(value.trim())) problems.push(`${name}: is the development value \`npm start\` generated; generate a new one for production (README)`);
    else {
      const weakness = secretWeakness(value);
      if (weakness) problems.push(`${name}: ${weakness}`);
    }
  }
  for (const [name, { url, passwordRequired }] of Object.entries(checks.urls ?? {})) {
    if (url === undefined || url === '') continue;
    const weakness = urlPasswordWeakness(url, passwordRequired);
    if (weakness) problems.push(`${name}: ${weakness}`);
  }
  for (const [name, key] of Object.entries(checks.keys ?? {})) {
    if (!key) continue;
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    if (knownKeyIds.has(keyIdOf(publicKey))) problems.push(`${name}: is the development key pair \`npm start\` generated; generate a new pair for production (README)`);
  }
  return problems;
}

/** Where `npm start` keeps its generated key pair, relative to its data directory. */
export const DEV_KEY_DIRECTORY = 'dev-keys';
export const DEV_PUBLIC_KEY_FILE = 'jwt-ed25519-public.b64';
export const DEV_PRIVATE_KEY_FILE = 'jwt-ed25519-private.b64';

/**
 * The ids of the development keys `npm start` generated on this machine: in SHOP_DATA_DIR when set, and in the
 * repository's default `.stack`. A copied development key is the likeliest "known key" in a deployment.
 */
export function developmentKeyIds(dataDir: string | undefined): KnownKeyIds {
  const repoStack = fileURLToPath(new URL('../../../.stack', import.meta.url));
  const ids = new Set<string>();
  for (const dir of new Set([...(dataDir ? [resolve(dataDir)] : []), repoStack])) {
    try {
      ids.add(keyIdOf(parseEd25519PublicKey(readFileSync(join(dir, DEV_KEY_DIRECTORY, DEV_PUBLIC_KEY_FILE), 'utf8'))));
    } catch {
      // No development key there (the usual case in a deployment).
    }
  }
  return ids;
}

/** Where `npm start` keeps its generated master key of personal data (stack/src/infra/data-key.ts). */
export const DEV_DATA_KEY_FILE = 'data-key-encryption-key';

/** The secrets `npm start` generated on this machine (its data-key master key), looked up where the key ids are. */
export function developmentSecrets(dataDir: string | undefined): ReadonlySet<string> {
  const repoStack = fileURLToPath(new URL('../../../.stack', import.meta.url));
  const secrets = new Set<string>();
  for (const dir of new Set([...(dataDir ? [resolve(dataDir)] : []), repoStack])) {
    try {
      secrets.add(readFileSync(join(dir, DEV_DATA_KEY_FILE), 'utf8').trim());
    } catch {
      // None there (the usual case in a deployment).
    }
  }
  return secrets;
}

/**
 * In production (NODE_ENV=production) throws, naming every offending setting, when the settings are not fit for it;
 * otherwise does nothing. Called by each service's main.ts right after its configuration is parsed.
 */
export function refuseUnsafeProductionSettings(service: string, env: NodeJS.ProcessEnv, checks: ProductionChecks): void {
  if (env.NODE_ENV !== 'production') return;
  const problems = productionProblems(checks, developmentKeyIds(env.SHOP_DATA_DIR), developmentSecrets(env.SHOP_DATA_DIR));
  if (problems.length === 0) return;
  throw new Error(`${service} refuses to start with NODE_ENV=production:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}
