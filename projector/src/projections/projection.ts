import type pg from 'pg';
import type { RecordedEvent } from '@shop/kernel';

/**
 * A projection: applies one event to its read model inside the runner's transaction and names the cache
 * keys the change makes stale. Events it does not care about are simply ignored (the checkpoint still moves).
 */
export interface Projection {
  readonly name: string;
  apply(tx: pg.ClientBase, event: RecordedEvent): Promise<string[]>;
}
