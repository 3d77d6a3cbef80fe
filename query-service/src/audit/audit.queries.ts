import { orderStreamId } from '@shop/domain';
import type { EventStore } from '@shop/kernel';
import { toEventPage, type AuditEventPageView } from './audit.views.js';
import { replayOrderAsOf, type AsOf, type AuditOrderView } from './order-as-of.js';

/**
 * The audit's reads, through the event-store port (the HTTP routes and the `audit` CLI share them). The store is
 * read without upcasters: events come back as they were stored.
 */

/** One page of a stream's events after `after` (a version); undefined when the stream has no visible event at all. */
export async function readStreamPage(store: EventStore, streamId: string, after: bigint, limit: number): Promise<AuditEventPageView | undefined> {
  const events = await store.readStream(streamId, { fromVersion: after + 1n, maxCount: limit + 1 });
  if (events.length === 0) {
    // Only an empty page costs the second look: past the end of a stream that exists is an empty page, not a 404.
    const metadata = await store.readStreamMetadata(streamId);
    // A soft-deleted (or wholly truncated) stream reads as empty: the global log still has its events.
    if (!metadata || metadata.truncateBefore > metadata.version) return undefined;
  }
  return toEventPage(events, limit, (event) => event.streamVersion);
}

/** One page of the global log after `after` (a position), in global order. */
export async function readLogPage(store: EventStore, after: bigint, limit: number): Promise<AuditEventPageView> {
  return toEventPage(await store.readAll(after, limit + 1), limit, (event) => event.globalPosition);
}

/** The order as it was at `asOf`, replayed from its stream; undefined when it did not exist (yet). */
export async function readOrderAsOf(store: EventStore, orderId: string, asOf: AsOf, now: Date): Promise<AuditOrderView | undefined> {
  return replayOrderAsOf(await store.readStream(orderStreamId(orderId)), asOf, now);
}
