import { afterAll, beforeAll, expect } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import type { PostgresEventStore, ProjectedEvent } from '@shop/kernel';
import type { Projection } from '../projections/projection.js';
import type { ProjectionRunner } from '../runner/projection-runner.js';
import { rowsOf, startTestDatabase, type TestDatabase } from './infrastructure.js';
import { loadedTestRunner } from './runner.js';

/** What a delivery-schedule suite needs to know of one projection. */
export interface DeliveryScheduleSetup {
  projection: Projection;
  /** The read model's tables: `reset` empties them. */
  tables: readonly string[];
  /** Queries whose rows, in order, are the read model as the suite compares it. */
  readModel: readonly string[];
  /** Writes the history the schedules are drawn from. */
  writeHistory(store: PostgresEventStore): Promise<unknown>;
}

/** A suite's database with its history written, and the read model one clean pass over the store leaves. */
export interface DeliverySchedules {
  readonly pool: pg.Pool;
  readonly events: readonly ProjectedEvent[];
  /** The read model after one clean pass over the store. */
  readonly cleanPass: unknown;
  /** Empties the read model and sets its checkpoint back to 0. */
  reset(): Promise<void>;
  newRunner(): Promise<ProjectionRunner>;
  readModel(): Promise<unknown>;
}

/**
 * Registers the suite's beforeAll (a database of its own, the history, the clean pass) and afterAll: call it in the
 * body of a `describe`. The answer is filled in by the time the suite's tests run.
 */
export function deliveryScheduleSuite(setup: DeliveryScheduleSetup): DeliverySchedules {
  let database: TestDatabase;
  let events: ProjectedEvent[] = [];
  let cleanPass: unknown;
  const readModel = (): Promise<unknown[]> => rowsOf(database.pool, setup.readModel);
  const suite: DeliverySchedules = {
    get pool() {
      return database.pool;
    },
    get events() {
      return events;
    },
    get cleanPass() {
      return cleanPass;
    },
    reset: async () => {
      await database.pool.query(`TRUNCATE ${setup.tables.join(', ')}`);
      await database.pool.query('UPDATE projection_checkpoints SET position = 0 WHERE projection = $1', [setup.projection.name]);
    },
    newRunner: () => loadedTestRunner(database.pool, database.store, setup.projection),
    readModel,
  };

  beforeAll(async () => {
    database = await startTestDatabase();
    await setup.writeHistory(database.store);
    events = await database.store.readAll(0n, 100_000);
    const clean = await suite.newRunner();
    await clean.catchUpFromStore();
    cleanPass = await readModel();
  }, 60_000);

  afterAll(() => database.stop());

  return suite;
}

/**
 * fast-check: the suite's events delivered through the bus in any batches and order, duplicated or lost, then the
 * runner's idle round (whatever the bus never delivered comes from the store), always end at the clean pass.
 */
export async function expectEveryScheduleEndsAtCleanPass(s: DeliverySchedules, limits: { maxBatchSize: number; maxBatches: number }): Promise<void> {
  const schedule = fc.array(fc.array(fc.nat({ max: s.events.length - 1 }), { minLength: 1, maxLength: limits.maxBatchSize }), {
    minLength: 1,
    maxLength: limits.maxBatches,
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
