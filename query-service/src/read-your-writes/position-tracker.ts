import type pg from 'pg';
import { listenForNotifications, type NotificationListener } from '@shop/kernel';
import { parseProjectionPositionPayload, PROJECTION_POSITION_CHANNEL } from '@shop/read-models';

interface Waiter {
  position: bigint;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * Knows how far one projection has got, from its checkpoint row and the NOTIFY the projector sends at each
 * commit. Readers holding a Consistency-Token wait here, woken by notifications: no polling.
 */
export class PositionTracker {
  private current = 0n;
  private waiters: Waiter[] = [];
  private listener: NotificationListener | undefined;
  private readonly advanceListeners: Array<(position: bigint) => void> = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly projection: string,
  ) {}

  get position(): bigint {
    return this.current;
  }

  async start(connectionString: string): Promise<void> {
    this.listener = await listenForNotifications({
      connectionString,
      channel: PROJECTION_POSITION_CHANNEL,
      onNotification: (payload) => {
        const parsed = parseProjectionPositionPayload(payload);
        if (parsed?.projection === this.projection) this.advanceTo(parsed.position);
      },
      // Notifications sent while we were disconnected are lost: re-read the checkpoint.
      onReconnect: () => void this.refresh().catch(() => undefined),
    });
    await this.refresh();
  }

  async refresh(): Promise<bigint> {
    const result = await this.pool.query<{ position: string }>(
      'SELECT position FROM projection_checkpoints WHERE projection = $1',
      [this.projection],
    );
    this.advanceTo(BigInt(result.rows[0]?.position ?? 0));
    return this.current;
  }

  onAdvance(listener: (position: bigint) => void): void {
    this.advanceListeners.push(listener);
  }

  /** True once the projection has reached `position`, false if `timeoutMs` passed first. */
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

  private advanceTo(position: bigint): void {
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

  async stop(): Promise<void> {
    await this.listener?.close();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters = [];
  }
}

function partition<T>(items: T[], predicate: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (predicate(item) ? yes : no).push(item);
  return [yes, no];
}
