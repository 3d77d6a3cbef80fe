import { z } from 'zod';

export const CommandServiceConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/shop'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  JWT_ISSUER: z.string().default('shop'),
  JWT_AUDIENCE: z.string().default('shop-api'),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(3_600),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  /** When set (local development only), the dev accounts are (re)seeded with this password at start. */
  DEV_USERS_PASSWORD: z.string().min(8).optional(),
});
export type CommandServiceConfig = z.infer<typeof CommandServiceConfig>;
