import type pg from 'pg';
import { Registry } from 'prom-client';
import type { EventStore } from '@shop/kernel';
import { createProjectorMetrics, ProjectionRunner } from '@shop/projector';
import { createLogger } from '@shop/service-kit';

type Projection = ConstructorParameters<typeof ProjectionRunner>[0]['projection'];

/**
 * Runs one of the projector's own projections over the store until it has caught up, as the projector would, so a
 * suite reads a read model the real code built. Answers the position it reached.
 */
export async function catchUpFromStore(pool: pg.Pool, store: EventStore, projection: Projection): Promise<bigint> {
  const runner = new ProjectionRunner({
    pool,
    store,
    projection,
    invalidate: async () => undefined,
    metrics: createProjectorMetrics(new Registry(), async () => ({})),
    logger: createLogger('test', 'silent'),
  });
  await runner.loadCheckpoint();
  await runner.catchUpFromStore();
  return runner.position;
}
