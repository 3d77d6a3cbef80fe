import { describe, expect, it } from '@jest/globals';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { generateShopSecrets, secretsAsEnvLines } from './secrets.js';

describe('generateShopSecrets', () => {
  it('makes an Ed25519 pair whose public half is the private one\'s', () => {
    const secrets = generateShopSecrets();
    const privateKey = createPrivateKey({ key: Buffer.from(secrets.JWT_PRIVATE_KEY, 'base64'), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey({ key: Buffer.from(secrets.JWT_PUBLIC_KEY, 'base64'), format: 'der', type: 'spki' });
    expect(privateKey.asymmetricKeyType).toBe('ed25519');
    expect(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64')).toBe(secrets.JWT_PUBLIC_KEY);
    expect(publicKey.asymmetricKeyType).toBe('ed25519');
  });

  it('makes a 32-byte master key and 48-character role passwords, different on every call', () => {
    const a = generateShopSecrets();
    const b = generateShopSecrets();
    expect(Buffer.from(a.DATA_KEY_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    for (const name of ['POSTGRES_PASSWORD', 'COMMAND_DB_PASSWORD', 'PROJECTOR_DB_PASSWORD', 'QUERY_DB_PASSWORD'] as const) {
      expect(a[name]).toMatch(/^[0-9a-f]{48}$/);
      expect(a[name]).not.toBe(b[name]);
    }
  });

  it('prints one NAME=value line per secret, the .env form', () => {
    const lines = secretsAsEnvLines(generateShopSecrets((bytes) => Buffer.alloc(bytes, 1))).trimEnd().split('\n');
    expect(lines.map((line) => line.split('=', 1)[0])).toEqual([
      'POSTGRES_PASSWORD', 'COMMAND_DB_PASSWORD', 'PROJECTOR_DB_PASSWORD', 'QUERY_DB_PASSWORD',
      'JWT_PRIVATE_KEY', 'JWT_PUBLIC_KEY', 'DATA_KEY_ENCRYPTION_KEY', 'GRAFANA_ADMIN_PASSWORD',
    ]);
    expect(lines[0]).toBe(`POSTGRES_PASSWORD=${'01'.repeat(24)}`);
  });
});
