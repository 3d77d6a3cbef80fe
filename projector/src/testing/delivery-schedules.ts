import { expect } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import { Registry } from 'prom-client';
import type { EventStore, ProjectedEvent } from '@shop/kernel';
import { createLogger } from '@shop/service-kit';
import { createProjectorMetrics } from '../metrics.js';
import type { Projection } from '../projections/projection.js';
import { ProjectionRunner } from '../runner/projection-runner.js';

/** A runner as the delivery-schedule tests drive it: no cache to invalidate, silent, its checkpoint loaded. */
export async function newTestRunner(pool: pg.Pool, store: EventStore, projection: Projection): Promise<ProjectionRunner> {
  const runner = new ProjectionRunner({
    pool,
    store,
    projection,
    invalidate: async () => undefined,
    metrics: createProjectorMetrics(new Registry(), async () => ({})),
    logger: createLogger('test', 'silent'),
  });
  await runner.loadCheckpoint();
  return runner;
}

export interface DeliverySchedules {
  events: readonly ProjectedEvent[];
  /** The read model after one clean pass over the store. */
  cleanPass: unknown;
  /** Empties the read model and sets its checkpoint back to 0. */
  reset(): Promise<void>;
  newRunner(): Promise<ProjectionRunner>;
  readModel(): Promise<unknown>;
  maxBatchSize: number;
  maxBatches: number;
}

/**
 * fast-check: `events` delivered through the bus in any batches and order, duplicated or lost, then the runner's
 * idle round (whatever the bus never delivered comes from the store), always end at the clean pass.
 */
export async function expectEveryScheduleEndsAtCleanPass(s: DeliverySchedules): Promise<void> {
  const schedule = fc.array(fc.array(fc.nat({ max: s.events.length - 1 }), { minLength: 1, maxLength: s.maxBatchSize }), {
    minLength: 1,
    maxLength: s.maxBatches,
  });
  await fc.assert(
    fc.asyncProperty(schedule, async (batches) => {
      await s.reset();
      const runner = await s.newRunner();
      for (const batch of batches) await runner.applyEvents(batch.map((i) => s.events[i]!), 'bus');
      await runner.catchUpFromStore();
      expect(await s.readModel()).toEqual(s.cleanPass);
    }),
    { numRuns: 30 },
  );
}
