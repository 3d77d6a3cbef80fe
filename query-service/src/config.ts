import { z } from 'zod';
import { MasterKey } from '@shop/kernel';
import { JwtSettingsConfig } from '@shop/service-kit';

export const QueryServiceConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3002),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/shop'),
  /** The same settings as the command service's: the query service verifies the tokens it issues. */
  ...JwtSettingsConfig,
  /** Unwraps the per-customer data keys, so the audit reads show personal fields (or `[erased]`): the services' key. */
  DATA_KEY_ENCRYPTION_KEY: MasterKey,
  /** Empty or unset: no Redis; an in-process cache stands in (and says so at start). */
  REDIS_URL: z.string().optional(),
  /** Empty or unset: analytics reports come from the SQL `sales` read model; set: from Elasticsearch. */
  ELASTICSEARCH_URL: z.string().optional(),
  ELASTICSEARCH_SALES_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/).default('shop-sales'),
  CONSISTENCY_MAX_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
});
export type QueryServiceConfig = z.infer<typeof QueryServiceConfig>;
