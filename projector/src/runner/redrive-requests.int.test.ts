import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool, waitUntilIdle } from '@shop/kernel';
import { createLogger } from '@shop/service-kit';
import type { Projection } from '../projections/projection.js';
import { eventually, startTestDatabase, type TestDatabase } from '../testing/infrastructure.js';
import { RedriveRequestWorker, takeRedriveRequest, type RedriveRequestDeps } from './redrive-requests.js';
import { redriveDeadLetters } from './redrive.js';

const logger = createLogger('test', 'silent');
const meta = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };

describe('redrive requests (real Postgres)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await startTestDatabase({ poolSize: 6 });
    // No primary key on purpose: an event applied twice shows as two rows.
    await db.pool.query('CREATE TABLE redrive_applied (projection text NOT NULL, position bigint NOT NULL)');
  });
  afterAll(() => db.stop());

  /** A projection that records each event it applies; `before` runs first (to fail or to hold an event). */
  const recording = (name: string, before: (position: bigint) => Promise<void> = async () => undefined): Projection => ({
    name,
    async apply(tx, event) {
      await before(event.globalPosition);
      await tx.query('INSERT INTO redrive_applied (projection, position) VALUES ($1, $2)', [name, event.globalPosition.toString()]);
      return [];
    },
  });
  const depsFor = (projection: Projection, pool = db.pool): RedriveRequestDeps => ({
    pool,
    store: db.store,
    projections: new Map([[projection.name, projection]]),
    invalidate: async () => undefined,
    logger,
  });

  /** Appends `count` events to a new stream and parks them all under `checkpoint` (a projection, or one partition of it). */
  const park = async (checkpoint: string, count: number): Promise<bigint[]> => {
    const stream = `redrive-test-${randomUUID()}`;
    const events = Array.from({ length: count }, () => ({ eventId: randomUUID(), type: 'Parked', schemaVersion: 1, data: {}, metadata: meta }));
    const { lastPosition } = await db.store.appendToStream(stream, 'no_stream', events);
    const positions = events.map((_, i) => lastPosition - BigInt(count - 1 - i));
    for (const [i, position] of positions.entries()) {
      await db.pool.query(
        `INSERT INTO projection_dead_letters (projection, global_position, event_id, stream_id, event_type, error, attempts) VALUES ($1, $2, $3, $4, 'Parked', 'boom', 3)`,
        [checkpoint, position.toString(), events[i]!.eventId, stream],
      );
    }
    return positions;
  };
  const request = async (projection: string): Promise<string> => {
    const id = randomUUID();
    await db.pool.query('INSERT INTO projection_redrive_requests (id, projection, requested_by) VALUES ($1, $2, $3)', [id, projection, randomUUID()]);
    return id;
  };
  const applied = async (projection: string): Promise<bigint[]> =>
    (await db.pool.query<{ position: string }>('SELECT position FROM redrive_applied WHERE projection = $1 ORDER BY position', [projection])).rows.map((r) => BigInt(r.position));
  const parked = async (projection: string): Promise<bigint[]> =>
    (
      await db.pool.query<{ global_position: string }>(
        `SELECT global_position FROM projection_dead_letters WHERE projection = $1 OR projection LIKE $1 || '/%' ORDER BY global_position`,
        [projection],
      )
    ).rows.map((r) => BigInt(r.global_position));
  const row = async (id: string) =>
    (
      await db.pool.query<{ outcome: string | null; redriven: number | null; error: string | null; started: boolean; finished: boolean; in_order: boolean }>(
        `SELECT outcome, redriven, error, started_at IS NOT NULL AS started, finished_at IS NOT NULL AS finished,
                coalesce(requested_at <= started_at AND started_at <= finished_at, false) AS in_order
           FROM projection_redrive_requests WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const newName = (): string => `redrive-${randomUUID().slice(0, 8)}`;

  it('takes an open request, redrives every parked event of its projection (every partition) once, and records the outcome', async () => {
    const name = newName();
    const positions = [...(await park(name, 2)), ...(await park(`${name}/1of2`, 1))];
    const id = await request(name);

    expect(await takeRedriveRequest(depsFor(recording(name)))).toEqual({ id, projection: name, outcome: 'redriven', redriven: 3, error: null });
    expect(await applied(name)).toEqual(positions);
    expect(await parked(name)).toEqual([]);
    expect(await row(id)).toEqual({ outcome: 'redriven', redriven: 3, error: null, started: true, finished: true, in_order: true });
    expect(await takeRedriveRequest(depsFor(recording(name)))).toBeUndefined();
  });

  it('leaves a request for a projection this process does not run to the processes that run it', async () => {
    const [mine, theirs] = [newName(), newName()];
    await park(theirs, 1);
    const id = await request(theirs);

    expect(await takeRedriveRequest(depsFor(recording(mine)))).toBeUndefined();
    expect(await row(id)).toMatchObject({ outcome: null, started: false, finished: false });
    expect(await parked(theirs)).toHaveLength(1);
  });

  it('records a redrive that failed again, and keeps the failing event and everything after it parked', async () => {
    const name = newName();
    const [first, second, third] = await park(name, 3);
    const id = await request(name);
    const failing = recording(name, async (position) => {
      if (position === second) throw new Error('still cannot digest');
    });

    expect(await takeRedriveRequest(depsFor(failing))).toEqual({
      id,
      projection: name,
      outcome: 'failed',
      redriven: 1,
      error: `position ${second}: still cannot digest`,
    });
    expect(await applied(name)).toEqual([first]);
    expect(await parked(name)).toEqual([second, third]);
    // Finished: a new request may be made once the cause is fixed.
    expect(await row(id)).toMatchObject({ outcome: 'failed', finished: true });
  });

  it('skips a request another process holds, and takes it again when that process dies mid-redrive: nothing applied twice, nothing lost', async () => {
    const name = newName();
    const positions = await park(name, 3);
    const id = await request(name);
    // The doomed process has its own connections (so they can be killed) and stops inside the second event.
    const application = `doomed-${randomUUID().slice(0, 8)}`;
    const doomedPool = createPool(db.url, { max: 3, applicationName: application });
    let reachedSecond!: () => void;
    const atSecond = new Promise<void>((resolve) => (reachedSecond = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const doomed = recording(name, async (position) => {
      if (position !== positions[1]) return;
      reachedSecond();
      await held;
    });
    const dying = takeRedriveRequest(depsFor(doomed, doomedPool));
    try {
      await atSecond;
      expect(await applied(name)).toEqual([positions[0]]);
      // Another process of the same projection does not take the request while it is held.
      expect(await takeRedriveRequest(depsFor(recording(name)))).toBeUndefined();

      // The doomed process dies: its connections go, its transactions roll back, the request is open again.
      await db.pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [application]);
      release();
      await expect(dying).rejects.toThrow();
      // Gone for good (a backend leaves pg_stat_activity after its locks are released).
      await eventually(async () => (await db.pool.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [application])).rowCount === 0);
    } finally {
      release();
      await dying.catch(() => undefined);
      await doomedPool.end().catch(() => undefined);
    }
    expect(await row(id)).toMatchObject({ outcome: null, finished: false });

    expect(await takeRedriveRequest(depsFor(recording(name)))).toMatchObject({ id, outcome: 'redriven', redriven: 2 });
    expect(await applied(name)).toEqual(positions);
    expect(await parked(name)).toEqual([]);
  });

  it('applies each letter once when two redrives of a projection run at once (the CLI beside a projector)', async () => {
    const name = newName();
    const positions = await park(name, 2);
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    // The first redrive stops inside the first letter's transaction, which has taken the letter out.
    const slow = recording(name, async () => {
      if (!first) return;
      first = false;
      holding();
      await released;
    });
    const slowRun = redriveDeadLetters(db.pool, db.store, slow, async () => undefined, () => undefined);
    await held;
    const fastRun = redriveDeadLetters(db.pool, db.store, recording(name), async () => undefined, () => undefined);
    // The second waits on the first's lock on that letter (a signal from the server, not a guess at timing).
    await eventually(async () => (await db.pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM projection_dead_letters%'")).rowCount === 1);
    release();
    const results = await Promise.all([slowRun, fastRun]);

    expect(await applied(name)).toEqual(positions);
    expect(results[0].redriven + results[1].redriven).toBe(2);
    expect(await parked(name)).toEqual([]);
  });

  it('is woken by the NOTIFY of a new request, not only by its slow poll', async () => {
    const name = newName();
    const worker = new RedriveRequestWorker({ ...depsFor(recording(name)), connectionString: db.url, pollMs: 3_600_000 });
    const running = worker.run();
    try {
      const first = await request(name);
      await eventually(async () => (await row(first))?.finished === true);
      // Asleep now (its pool is idle: it took the request, looked for another and found none); an hour's poll away.
      await waitUntilIdle([db.pool]);
      const positions = await park(name, 1);
      const second = await request(name);
      await eventually(async () => (await row(second))?.finished === true);
      expect(await applied(name)).toEqual(positions);
    } finally {
      worker.stop();
      await running;
    }
  });
});
