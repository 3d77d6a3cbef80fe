import { z } from 'zod';
import { MasterKey } from '@shop/kernel';
import { JwtSignerConfig, serviceSettings } from '@shop/service-kit';

export const CommandServiceConfig = z.object({
  ...serviceSettings(3001),
  ...JwtSignerConfig,
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  /** Writes per client (user, else address): a burst of this many at once, then the sustained rate below. */
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(200),
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(100),
  // --- Sign-in limits (issue 14; README "Settings"). Clients are told apart by address as the gateway saw it
  // (TRUSTED_PROXIES, in serviceSettings).
  /** Login attempts per address and email: a small burst, then about one every 6 s. */
  LOGIN_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(10),
  LOGIN_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(1 / 6),
  /** Login attempts per address over all emails (password spraying): a burst, then one every 2 s. */
  LOGIN_ADDRESS_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(30),
  LOGIN_ADDRESS_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(0.5),
  /** Per account over all addresses only a delay, never a refusal: after this many failures… */
  LOGIN_ACCOUNT_FREE_FAILURES: z.coerce.number().int().min(0).default(5),
  /** …each sign-in waits this long, doubled per further failure, up to the cap… */
  LOGIN_ACCOUNT_DELAY_BASE_MS: z.coerce.number().int().min(0).default(250),
  LOGIN_ACCOUNT_DELAY_MAX_MS: z.coerce.number().int().min(0).max(10_000).default(2_000),
  /** …and failures are forgotten at this rate (per second). */
  LOGIN_ACCOUNT_FAILURES_FORGOTTEN_PER_SECOND: z.coerce.number().positive().default(0.1),
  /** Registrations per address: a small burst, then about one every 6 s. */
  REGISTER_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(10),
  REGISTER_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(1 / 6),
  /** Each limiter remembers at most this many clients (least recently seen forgotten first)… */
  RATE_LIMIT_MAX_KEYS: z.coerce.number().int().min(100).default(100_000),
  /** …and keys longer than this (an email typed by anyone) are kept as their SHA-256. */
  RATE_LIMIT_MAX_KEY_LENGTH: z.coerce.number().int().min(64).default(256),
  // --- end of sign-in limits
  /**
   * A retry whose key's first request is still running (on any instance) waits this long for its answer, then
   * answers 409 in progress (decision 0091); 0: answer 409 at once.
   */
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /** Wraps the per-customer data keys that personal fields in events are encrypted under: 32 bytes, base64. */
  DATA_KEY_ENCRYPTION_KEY: MasterKey,
  /** When set (local development only; refused with NODE_ENV=production), the dev accounts are (re)seeded with it. */
  DEV_USERS_PASSWORD: z.string().min(8).optional(),
  NODE_ENV: z.string().optional(),
  /** Fault tests only (docs/faults.md): this service's clock runs this far ahead (negative: behind) of the machine's. */
  SHOP_CLOCK_SKEW_MS: z.coerce.number().int().min(-86_400_000).max(86_400_000).default(0),
});
export type CommandServiceConfig = z.infer<typeof CommandServiceConfig>;

/** `create-admin` needs the database only (it runs beside the service, with the service's environment). */
export const CreateAdminConfig = z.object({ DATABASE_URL: CommandServiceConfig.shape.DATABASE_URL });
