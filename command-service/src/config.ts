import { z } from 'zod';
import { MasterKey } from '@shop/kernel';
import { JwtSettingsConfig } from '@shop/service-kit';

export const CommandServiceConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/shop'),
  ...JwtSettingsConfig,
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  /** Writes per client (user, else address): a burst of this many at once, then the sustained rate below. */
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(200),
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(100),
  /** Login attempts per address and email: a small burst, then about one every 6 s. */
  LOGIN_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(10),
  LOGIN_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(1 / 6),
  /** Wraps the per-customer data keys that personal fields in events are encrypted under: 32 bytes, base64. */
  DATA_KEY_ENCRYPTION_KEY: MasterKey,
  /** When set (local development only), the dev accounts are (re)seeded with this password at start. */
  DEV_USERS_PASSWORD: z.string().min(8).optional(),
});
export type CommandServiceConfig = z.infer<typeof CommandServiceConfig>;
