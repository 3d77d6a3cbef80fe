import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { loadAggregate, snapshotIfDue, type AggregateDefinition } from './aggregate.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

type Added = { type: 'Added'; data: { tag: string } };
/** A state that is not JSON (a Set), so its snapshots go through toJson/fromJson. */
const tags: AggregateDefinition<ReadonlySet<string>, Added> = {
  initialState: new Set(),
  evolve: (state, event) => new Set(state).add(event.data.tag),
  parse: (event) => ({ type: 'Added', data: event.data as Added['data'] }),
  snapshot: { schemaVersion: 1, every: 2, toJson: (state) => [...state], fromJson: (json: string[]) => new Set(json) },
};

const metadata = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };
const added = (tag: string) => ({ eventId: randomUUID(), type: 'Added', schemaVersion: 1, data: { tag }, metadata });

describe('loadAggregate with snapshots', () => {
  it('writes a snapshot through toJson when due and reads it back through fromJson', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('tags-1', 'no_stream', [added('a'), added('b')]);
    const loaded = await loadAggregate(store, 'tags-1', tags);
    expect(await snapshotIfDue(store, 'tags-1', tags, loaded, loaded.state, loaded.version)).toBe(true);
    expect((await store.readSnapshot('tags-1'))?.state).toEqual(['a', 'b']);

    await store.appendToStream('tags-1', 2n, [added('c')]);
    const again = await loadAggregate(store, 'tags-1', tags);
    expect(again.state).toEqual(new Set(['a', 'b', 'c']));
    expect(again.eventsRead).toBe(1);
    expect(again.snapshotVersion).toBe(2n);
  });

  it('ignores a snapshot of another schema version and folds every event', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('tags-2', 'no_stream', [added('a'), added('b')]);
    await store.writeSnapshot('tags-2', { version: 2n, schemaVersion: 0, state: { old: 'shape' } });
    const loaded = await loadAggregate(store, 'tags-2', tags);
    expect(loaded.state).toEqual(new Set(['a', 'b']));
    expect(loaded.eventsRead).toBe(2);
  });
});
