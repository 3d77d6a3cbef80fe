import type pg from 'pg';
import type { RecordedEvent } from '@shop/kernel';

/**
 * A projection: applies one event to its read model inside the runner's transaction and names the cache
 * keys the change makes stale. Events it does not care about are simply ignored (the checkpoint still moves).
 */
export interface Projection {
  readonly name: string;
  apply(tx: pg.ClientBase, event: RecordedEvent): Promise<string[]>;
  /**
   * Optional bulk form for rebuilds: applies events that are all newer than anything in the read model (a fresh
   * shadow table being filled in order) with a few set-based statements instead of one per event. Must leave the
   * read model exactly as applying them one by one would.
   */
  applyNewer?(tx: pg.ClientBase, events: readonly RecordedEvent[]): Promise<void>;
}
