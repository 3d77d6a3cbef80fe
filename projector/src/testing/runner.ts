import type pg from 'pg';
import { Registry } from 'prom-client';
import type { EventStore } from '@shop/kernel';
import { createLogger } from '@shop/service-kit';
import { createProjectorMetrics } from '../metrics.js';
import type { Projection } from '../projections/projection.js';
import { ProjectionRunner, type ProjectionRunnerDeps } from '../runner/projection-runner.js';

/**
 * A runner as tests drive it: metrics of its own, silent, no cache to invalidate unless `deps` gives one (and
 * whatever else `deps` sets: a partition, a batch size).
 */
export function testRunner(pool: pg.Pool, store: EventStore, projection: Projection, deps: Partial<ProjectionRunnerDeps> = {}): ProjectionRunner {
  return new ProjectionRunner({
    pool,
    store,
    projection,
    invalidate: async () => undefined,
    metrics: createProjectorMetrics(new Registry(), async () => ({})),
    logger: createLogger('test', 'silent'),
    ...deps,
  });
}

/** The same, its checkpoint loaded: ready for `applyEvents` and `catchUpFromStore`. */
export async function loadedTestRunner(pool: pg.Pool, store: EventStore, projection: Projection): Promise<ProjectionRunner> {
  const runner = testRunner(pool, store, projection);
  await runner.loadCheckpoint();
  return runner;
}
