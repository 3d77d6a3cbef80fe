import type pg from 'pg';
import { listenForNotifications, type NotificationListener } from '@shop/kernel';
import { parseProjectionPositionPayload, PROJECTION_POSITION_CHANNEL } from '@shop/read-models';

/** What a read can wait on: how far a read model has got, and a bounded wait for it to get further. */
export interface PositionSource {
  readonly position: bigint;
  /** True once the source has reached `position`, false if `timeoutMs` passed first. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean>;
}

interface Waiter {
  position: bigint;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

async function readCheckpoint(pool: pg.Pool, projection: string): Promise<bigint> {
  const result = await pool.query<{ position: string }>({
    name: 'projection_checkpoint',
    text: 'SELECT position FROM projection_checkpoints WHERE projection = $1',
    values: [projection],
  });
  return BigInt(result.rows[0]?.position ?? 0);
}

/**
 * Knows how far one source has got (a projection: from its checkpoint row and the NOTIFY the projector sends at
 * each commit, delivered by ProjectionPositions). `readPosition` reads the source of truth. Readers holding a
 * Consistency-Token wait here, woken by notifications: no polling.
 */
export class PositionTracker implements PositionSource {
  private current = 0n;
  private waiters: Waiter[] = [];
  private readonly advanceListeners: Array<(position: bigint) => void> = [];

  constructor(private readonly readPosition: () => Promise<bigint>) {}

  get position(): bigint {
    return this.current;
  }

  async refresh(): Promise<bigint> {
    this.advanceTo(await this.readPosition());
    return this.current;
  }

  onAdvance(listener: (position: bigint) => void): void {
    this.advanceListeners.push(listener);
  }

  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.current >= position) return true;
    const reached = await new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
    // One last look at the source of truth before giving up, in case a notification went missing.
    return reached || (await this.refresh()) >= position;
  }

  advanceTo(position: bigint): void {
    if (position <= this.current) return;
    this.current = position;
    for (const listener of this.advanceListeners) listener(position);
    const [done, waiting] = partition(this.waiters, (w) => w.position <= position);
    this.waiters = waiting;
    for (const waiter of done) {
      clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
  }

  /** Releases every waiting reader (as not reached). */
  release(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters = [];
  }
}

/**
 * Every projection's position, from ONE listening connection: the projector announces `<projection>:<position>`
 * on PROJECTION_POSITION_CHANNEL at each commit, and each announcement advances that projection's tracker.
 */
export class ProjectionPositions {
  private listener: NotificationListener | undefined;
  private readonly trackers = new Map<string, PositionTracker>();

  constructor(
    private readonly pool: pg.Pool,
    projections: readonly string[],
  ) {
    for (const projection of projections) this.trackers.set(projection, new PositionTracker(() => readCheckpoint(pool, projection)));
  }

  /** The tracker of one of the projections named at construction (a typo fails at wiring time, not at read time). */
  of(projection: string): PositionTracker {
    const tracker = this.trackers.get(projection);
    if (!tracker) throw new Error(`No position tracker for projection ${projection}`);
    return tracker;
  }

  async start(connectionString: string): Promise<void> {
    this.listener = await listenForNotifications({
      connectionString,
      channel: PROJECTION_POSITION_CHANNEL,
      onNotification: (payload) => {
        const parsed = parseProjectionPositionPayload(payload);
        if (parsed) this.trackers.get(parsed.projection)?.advanceTo(parsed.position);
      },
      // Notifications sent while we were disconnected are lost: re-read the checkpoints.
      onReconnect: () => void this.refresh().catch(() => undefined),
    });
    await this.refresh();
  }

  async refresh(): Promise<void> {
    await Promise.all([...this.trackers.values()].map((tracker) => tracker.refresh()));
  }

  async stop(): Promise<void> {
    await this.listener?.close();
    for (const tracker of this.trackers.values()) tracker.release();
  }
}

function partition<T>(items: T[], predicate: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (predicate(item) ? yes : no).push(item);
  return [yes, no];
}
