import { z } from 'zod';
import { MasterKey } from '@shop/kernel';
import { JwtVerifierConfig, SalesIndexConfig, serviceSettings } from '@shop/service-kit';

export const QueryServiceConfig = z.object({
  ...serviceSettings(3002),
  /** The public half of the command service's key (and the same issuer, audience, kid): verify, never sign. */
  ...JwtVerifierConfig,
  /**
   * How long an account's token version is trusted on reads: a logout or role change reaches reads within this.
   * Bounded in accounts too (least recently used dropped). 0 reads it at every request.
   */
  TOKEN_VERSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  TOKEN_VERSION_CACHE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Unwraps the per-customer data keys, so the audit reads show personal fields (or `[erased]`): the services' key. */
  DATA_KEY_ENCRYPTION_KEY: MasterKey,
  /** Empty or unset: no Redis; an in-process cache stands in (and says so at start). */
  REDIS_URL: z.string().optional(),
  /** ELASTICSEARCH_URL empty or unset: analytics reports come from the SQL `sales` read model; set: from Elasticsearch. */
  ...SalesIndexConfig,
  CONSISTENCY_MAX_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
});
export type QueryServiceConfig = z.infer<typeof QueryServiceConfig>;
