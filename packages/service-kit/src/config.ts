import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { parseEd25519PrivateKey, parseEd25519PublicKey } from './auth/keys.js';
import { ClientIdentityConfig } from './http/client-identity.js';
import { LogShippingConfig } from './observability/log-shipping.js';
import { TracingConfig } from './observability/tracing.js';
import { refuseUnsafeProductionSettings, type ProductionChecks } from './production.js';

/**
 * Parses a service's configuration from the environment once, at start. The composition root (main.ts)
 * is the only caller; everything else receives the typed object.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/**
 * Runs a service's start-up configuration step (parse, production checks); on failure prints the reason, which names
 * each offending setting, and exits 1 — no stack trace, no port opened, nothing written.
 */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    process.stderr.write(`${service}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

/**
 * A service's settings at start, in its main.ts: parsed from the environment with `schema`, then, with
 * NODE_ENV=production, held to production's bar. What every service holds is always checked: DATABASE_URL (a
 * password required), DATA_KEY_ENCRYPTION_KEY (a secret) and DEV_USERS_PASSWORD (development only); `checks` names
 * the service's own keys and URLs. On a failure it prints why, naming each setting, and exits 1.
 */
export function loadServiceConfig<S extends z.ZodType<{ DATABASE_URL: string }>>(
  service: string,
  schema: S,
  checks: (config: z.infer<S>) => Pick<ProductionChecks, 'keys' | 'urls'> = () => ({}),
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  return configOrExit(service, () => {
    const config = loadConfig(schema, env);
    const own = checks(config);
    refuseUnsafeProductionSettings(service, env, {
      secrets: { DATA_KEY_ENCRYPTION_KEY: env.DATA_KEY_ENCRYPTION_KEY },
      ...(own.keys ? { keys: own.keys } : {}),
      urls: { DATABASE_URL: { url: config.DATABASE_URL, passwordRequired: true }, ...own.urls },
      developmentOnly: { DEV_USERS_PASSWORD: env.DEV_USERS_PASSWORD },
    });
    return config;
  });
}

/** The settings every service has: where it listens, its database, and whose X-Forwarded-For it believes. */
export function serviceSettings(defaultPort: number) {
  return {
    PORT: z.coerce.number().int().min(0).max(65_535).default(defaultPort),
    DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/shop'),
    // Client identity (issue 14): the gateway hops whose X-Forwarded-For is believed.
    ...ClientIdentityConfig,
    // Observability (docs/observability.md): log shipping to Elasticsearch and OpenTelemetry traces, both off unless set.
    ...LogShippingConfig,
    ...TracingConfig,
  };
}

/**
 * The Elasticsearch sales index, named alike where the projector writes it and where the query service reads it.
 * Empty or unset ELASTICSEARCH_URL: no Elasticsearch (each service says what it does instead).
 */
export const SalesIndexConfig = {
  ELASTICSEARCH_URL: z.string().optional(),
  ELASTICSEARCH_SALES_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/).default('shop-sales'),
};

const keySetting = (parse: (text: string) => KeyObject) =>
  z.string({ error: `required: an Ed25519 key as PEM or one line of base64 DER (README: "Tokens, accounts and production mode")` }).transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** Issuer and audience: what the command service writes into a token and the query service insists on. */
const JwtClaimsConfig = {
  JWT_ISSUER: z.string().min(1).default('shop'),
  JWT_AUDIENCE: z.string().min(1).default('shop-api'),
  /**
   * The `kid` of the signing key; default: the RFC 7638 thumbprint of the public key (set it only to pin a name).
   * Empty means unset, as compose passes `${JWT_KEY_ID:-}` for a setting the .env leaves blank.
   */
  JWT_KEY_ID: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).max(128).optional()),
};

/**
 * The command service's token settings: it alone holds the Ed25519 private key, signs tokens at login and verifies
 * them on writes (with the public half of the same key).
 */
export const JwtSignerConfig = {
  JWT_PRIVATE_KEY: keySetting(parseEd25519PrivateKey),
  ...JwtClaimsConfig,
  JWT_TTL_SECONDS: z.coerce.number().int().positive().max(86_400).default(3_600),
};

/** The query service's token settings: the Ed25519 public key only, so it can verify tokens but never mint one. */
export const JwtVerifierConfig = {
  JWT_PUBLIC_KEY: keySetting(parseEd25519PublicKey),
  ...JwtClaimsConfig,
};
