import { z } from 'zod';

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
 * JWT settings shared by every service that signs or verifies tokens: the command service issues them, the
 * query service verifies them, so both must read the same secret, issuer and audience.
 */
export const JwtSettingsConfig = {
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  JWT_ISSUER: z.string().default('shop'),
  JWT_AUDIENCE: z.string().default('shop-api'),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(3_600),
};
