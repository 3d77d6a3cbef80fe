import { z } from 'zod';
import { MasterKey } from '@shop/kernel';
import { SalesIndexConfig, serviceSettings } from '@shop/service-kit';

export const ProjectorConfig = z.object({
  ...serviceSettings(3003),
  /** Unwraps the per-customer data keys, to read the personal fields of events (the command service's key). */
  DATA_KEY_ENCRYPTION_KEY: MasterKey,
  /** Empty or unset: no bus; projections follow the store directly (LISTEN/NOTIFY + catch-up). */
  NATS_URL: z.string().optional(),
  NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default('SHOP_EVENTS'),
  NATS_SUBJECT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('shop'),
  /**
   * Every projection runs as this many partitions (streams hashed over them, see runner/partition.ts). Changing it
   * is safe at any time: new partitions start from the projection's position.
   */
  PROJECTION_PARTITIONS: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Which partitions this process runs: `all`, indexes like `0,2` (to spread them over processes), or `ordinal`: the
   * number ending HOSTNAME (a Kubernetes StatefulSet's pod `projector-2` runs partition 2; infra/k8s).
   */
  PROJECTOR_PARTITIONS: z.string().regex(/^(all|ordinal|\d{1,2}(,\d{1,2})*)$/).default('all'),
  /** Set by the system (a container's or pod's name); read only for PROJECTOR_PARTITIONS=ordinal. */
  HOSTNAME: z.string().optional(),
  /**
   * How often the projector looks for redrive requests besides being woken by their NOTIFY (a notification missed
   * while disconnected; a request a killed projector left open).
   */
  REDRIVE_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Empty or unset: nothing to invalidate (the query service then uses its own in-process cache). */
  REDIS_URL: z.string().optional(),
  /** ELASTICSEARCH_URL empty or unset: no Elasticsearch analytics projection (the SQL `sales` read model serves analysts). */
  ...SalesIndexConfig,
  /** Events per analytics batch: each batch waits for one Elasticsearch refresh (≈ 1 s), so it is larger. */
  ELASTICSEARCH_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(2_000),
});
export type ProjectorConfig = z.infer<typeof ProjectorConfig>;
