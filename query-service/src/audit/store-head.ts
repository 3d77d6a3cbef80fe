import type pg from 'pg';
import { EVENTS_CHANNEL, listenForNotifications, readStoreHead, type NotificationListener } from '@shop/kernel';
import { PositionTracker } from '../read-your-writes/position-tracker.js';

const POSITION = /^\d{1,19}$/;

/**
 * The audit routes read the event store itself, which is always current: their read-your-writes position is the
 * store head. It advances on the NOTIFY every append commits on `shop_events` (payload: the last global position),
 * over one listening connection, and is re-read from the events table at start and after a reconnect.
 */
export class StoreHead {
  readonly tracker: PositionTracker;
  private listener: NotificationListener | undefined;

  constructor(pool: pg.Pool) {
    this.tracker = new PositionTracker(() => readStoreHead(pool));
  }

  async start(connectionString: string): Promise<void> {
    this.listener = await listenForNotifications({
      connectionString,
      channel: EVENTS_CHANNEL,
      onNotification: (payload) => {
        if (POSITION.test(payload)) this.tracker.advanceTo(BigInt(payload));
      },
      // Notifications sent while we were disconnected are lost: read the head again.
      onReconnect: () => void this.tracker.refresh().catch(() => undefined),
    });
    await this.tracker.refresh();
  }

  async stop(): Promise<void> {
    await this.listener?.close();
    this.tracker.release();
  }
}
