import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * The secrets a production-mode Shop needs (NODE_ENV=production refuses weak or development ones): the Postgres
 * owner's password, one password per service role, the Ed25519 token keys and the personal-data master key.
 * The same names and forms as the compose `.env` (infra/containers/containers.sh prints them with
 * `node packages/testcontainers/dist/secrets.cli.js`), so both places make them one way.
 */
export interface ShopSecrets {
  POSTGRES_PASSWORD: string;
  COMMAND_DB_PASSWORD: string;
  PROJECTOR_DB_PASSWORD: string;
  QUERY_DB_PASSWORD: string;
  /** Ed25519 PKCS#8, one line of base64 DER (the command service signs with it). */
  JWT_PRIVATE_KEY: string;
  /** Ed25519 SPKI, one line of base64 DER (the query service verifies with it). */
  JWT_PUBLIC_KEY: string;
  /** 32 random bytes, base64 (`openssl rand -base64 32`). */
  DATA_KEY_ENCRYPTION_KEY: string;
  GRAFANA_ADMIN_PASSWORD: string;
}

export type Random = (bytes: number) => Buffer;

const hex = (random: Random, bytes: number): string => random(bytes).toString('hex');

/** Fresh secrets; `random` is there so a test can check the forms without relying on chance. */
export function generateShopSecrets(random: Random = randomBytes): ShopSecrets {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    POSTGRES_PASSWORD: hex(random, 24),
    COMMAND_DB_PASSWORD: hex(random, 24),
    PROJECTOR_DB_PASSWORD: hex(random, 24),
    QUERY_DB_PASSWORD: hex(random, 24),
    JWT_PRIVATE_KEY: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    JWT_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    DATA_KEY_ENCRYPTION_KEY: random(32).toString('base64'),
    GRAFANA_ADMIN_PASSWORD: hex(random, 16),
  };
}

/** `NAME=value` lines, the `.env` form. */
export const secretsAsEnvLines = (secrets: ShopSecrets): string =>
  Object.entries(secrets)
    .map(([name, value]) => `${name}=${value}\n`)
    .join('');
