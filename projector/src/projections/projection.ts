import type pg from 'pg';
import type { ProjectedEvent } from '@shop/kernel';

/**
 * A projection: applies one event to its read model inside the runner's transaction and names the cache
 * keys the change makes stale. Events it does not care about are simply ignored (the checkpoint still moves).
 */
export interface Projection {
  readonly name: string;
  apply(tx: pg.ClientBase, event: ProjectedEvent): Promise<string[]>;
  /**
   * Optional bulk form: applies events that are all newer than anything in the read model (events past the
   * checkpoint; a shadow table being rebuilt in order) with a few set-based statements instead of one per event,
   * and names the stale cache keys. Must leave the read model exactly as applying them one by one would.
   */
  applyNewer?(tx: pg.ClientBase, events: readonly ProjectedEvent[]): Promise<string[]>;
  /**
   * The stream prefixes (`product-`) whose events can change this read model; absent: any. A batch holding none of
   * them needs no transaction: the runner only moves its checkpoint, and writes it a little later (see the runner).
   */
  readonly streamPrefixes?: readonly string[];
}

/** Whether `projection` may care about an event of `streamId` (see `streamPrefixes`). */
export const mayConcern = (projection: Projection, streamId: string): boolean =>
  projection.streamPrefixes === undefined || projection.streamPrefixes.some((prefix) => streamId.startsWith(prefix));

/**
 * Thrown by a projection whose external sink (Elasticsearch) cannot take writes right now, after its own retries:
 * nothing is wrong with the events, so the runner retries the whole batch later and never counts it towards
 * dead-lettering (an outage must not park every event it lasts through). A failure that IS the event's fault
 * (a document the sink refuses) is thrown as any other error, and so ends in the dead letters after retries.
 */
export class SinkUnavailable extends Error {
  override readonly name = 'SinkUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
