import { createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEV_KEY_DIRECTORY,
  DEV_PRIVATE_KEY_FILE,
  DEV_PUBLIC_KEY_FILE,
  generateEd25519KeyPair,
  keyIdOf,
  keyText,
  parseEd25519PrivateKey,
  parseEd25519PublicKey,
} from '@shop/service-kit';

/** The token keys the stack hands its services, as settings text (one line of base64 DER each). */
export interface StackJwtKeys {
  privateKey: string;
  publicKey: string;
}

/**
 * The command service's signing key and the query service's verifying key for `npm start`: the pair given in
 * JWT_PRIVATE_KEY (and JWT_PUBLIC_KEY, else derived), or a development pair generated once into the data directory
 * and reused at every start, so tokens survive a restart. Never committed, different on every machine, and refused by
 * every service with NODE_ENV=production (service-kit production.ts reads the same files).
 */
export function stackJwtKeys(given: { privateKey: string | undefined; publicKey: string | undefined }, dataDir: string, say: (line: string) => void): StackJwtKeys {
  if (given.privateKey) {
    const privateKey = parseEd25519PrivateKey(given.privateKey);
    const derived = createPublicKey(privateKey);
    if (given.publicKey && keyIdOf(parseEd25519PublicKey(given.publicKey)) !== keyIdOf(derived)) {
      throw new Error('JWT_PUBLIC_KEY is not the public half of JWT_PRIVATE_KEY');
    }
    say('JWT: signing with JWT_PRIVATE_KEY');
    return { privateKey: keyText(privateKey), publicKey: keyText(derived) };
  }
  if (given.publicKey) throw new Error('JWT_PUBLIC_KEY is set without JWT_PRIVATE_KEY: give both, or neither for a generated development pair');
  const dir = join(dataDir, DEV_KEY_DIRECTORY);
  const privateFile = join(dir, DEV_PRIVATE_KEY_FILE);
  const publicFile = join(dir, DEV_PUBLIC_KEY_FILE);
  try {
    const privateKey = parseEd25519PrivateKey(readFileSync(privateFile, 'utf8'));
    const publicKey = keyText(createPublicKey(privateKey));
    if (readFileSync(publicFile, 'utf8').trim() !== publicKey) writeFileSync(publicFile, `${publicKey}\n`);
    say(`JWT: development key pair from ${dir} (local use only)`);
    return { privateKey: keyText(privateKey), publicKey };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${privateFile}: ${(error as Error).message} (delete it to generate a new pair)`, { cause: error });
  }
  const pair = generateEd25519KeyPair();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(privateFile, `${keyText(pair.privateKey)}\n`, { mode: 0o600 });
  writeFileSync(publicFile, `${keyText(pair.publicKey)}\n`);
  say(`JWT: generated a development key pair in ${dir} (local use only; set JWT_PRIVATE_KEY to use your own)`);
  return { privateKey: keyText(pair.privateKey), publicKey: keyText(pair.publicKey) };
}
