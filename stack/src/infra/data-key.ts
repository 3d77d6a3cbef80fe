import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'data-key-encryption-key';

/**
 * The master key for personal data (DATA_KEY_ENCRYPTION_KEY) in local development: the one given, else the one kept
 * in SHOP_DATA_DIR, else a new random one written there (owner-only). It must stay with the database it was first
 * used on: the data keys stored there are wrapped by it, and another key cannot unwrap them.
 */
export function localDataKeyEncryptionKey(given: string | undefined, dataDir: string, say: (line: string) => void): string {
  if (given) return given;
  const path = join(dataDir, FILE);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  say(`Personal data: a new development DATA_KEY_ENCRYPTION_KEY was written to ${path} (keep it with this database)`);
  return key;
}
