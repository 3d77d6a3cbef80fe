import { z } from 'zod';

export const ProjectorConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3003),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/shop'),
  /** Empty or unset: no bus; projections follow the store directly (LISTEN/NOTIFY + catch-up). */
  NATS_URL: z.string().optional(),
  NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default('SHOP_EVENTS'),
  NATS_SUBJECT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('shop'),
  /** Empty or unset: nothing to invalidate (the query service then uses its own in-process cache). */
  REDIS_URL: z.string().optional(),
});
export type ProjectorConfig = z.infer<typeof ProjectorConfig>;
