import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { AggregateCache } from './aggregate-cache.js';
import { commandAggregate, decisionOn, handleCommand, MAX_COMMAND_ATTEMPTS, StaleExpectedVersion, toNewEvent, writeTo } from './command-handler.js';
import { VersionConflict, type AppendOptions, type AppendResult, type EventMetadata, type StreamAppend } from './event-store.port.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

/** A counter that may never pass 10: the smallest aggregate with a refusal. */
const Incremented = z.strictObject({ type: z.literal('Incremented'), data: z.strictObject({ by: z.number().int() }) });
type Incremented = z.infer<typeof Incremented>;
const counter = commandAggregate<number, Incremented, { by: number }>({
  initialState: 0,
  evolve: (total, event) => total + event.data.by,
  decide: ({ by }, total) => {
    if (total + by > 10) throw new Error('over the limit');
    return by === 0 ? [] : [{ type: 'Incremented', data: { by } }];
  },
  events: Incremented,
  eventVersions: { Incremented: 1 },
});

const metadata: EventMetadata = { correlationId: 'test', causationId: 'test', actor: { system: 'test' } };
const increment = (store: InMemoryEventStore, streamId: string, by: number) =>
  store.appendToStream(streamId, 'any', [toNewEvent({ type: 'Incremented', data: { by } }, 1, metadata)]);

/** A store where another writer always gets in first: every append of ours meets a new event on its stream. */
class ContendedStore extends InMemoryEventStore {
  attempts = 0;
  override async appendToStreams(appends: readonly StreamAppend[], options?: AppendOptions): Promise<AppendResult[]> {
    this.attempts++;
    await super.appendToStreams([{ streamId: appends[0]!.streamId, expected: 'any', events: [toNewEvent({ type: 'Incremented', data: { by: 0 } }, 1, metadata)] }]);
    return super.appendToStreams(appends, options);
  }
}

describe('handleCommand', () => {
  it('refuses a stale If-Match with the actual version, and appends nothing', async () => {
    const store = new InMemoryEventStore();
    await increment(store, 'counter-1', 1);
    await increment(store, 'counter-1', 1);

    const stale = await handleCommand(store, decisionOn('counter-1', counter, { by: 1 }, { ifMatch: 1n }), { metadata }).catch((error: unknown) => error);

    expect(stale).toEqual(new StaleExpectedVersion('counter-1', 2n));
    expect(stale).toMatchObject({ streamId: 'counter-1', actual: 2n });
    expect((await store.readStream('counter-1')).length).toBe(2);
  });

  it('reads the store again when its cached entry is not at the If-Match, rather than refusing it', async () => {
    const store = new InMemoryEventStore();
    const cache = new AggregateCache();
    await handleCommand(store, decisionOn('counter-1', counter, { by: 1 }), { metadata, cache });
    await increment(store, 'counter-1', 1); // another process: the cache still says version 1

    const outcome = await handleCommand(store, decisionOn('counter-1', counter, { by: 1 }, { ifMatch: 2n }), { metadata, cache });

    expect({ state: outcome.stateOf('counter-1', counter), version: outcome.versionOf('counter-1') }).toEqual({ state: 3, version: 3n });
  });

  it('does not retry a conflict on a stream it wrote without reading: that stream was to be new', async () => {
    const store = new ContendedStore();
    const decision = async () => [writeTo('counter-new', counter, [{ type: 'Incremented' as const, data: { by: 1 } }])];

    const conflict = await handleCommand(store, decision, { metadata }).catch((error: unknown) => error);

    expect(conflict).toBeInstanceOf(VersionConflict);
    expect(store.attempts).toBe(1);
  });

  it(`gives up after ${MAX_COMMAND_ATTEMPTS} attempts on a stream other writers keep changing`, async () => {
    const store = new ContendedStore();
    await increment(store, 'counter-1', 1);
    store.attempts = 0;

    const conflict = await handleCommand(store, decisionOn('counter-1', counter, { by: 1 }), { metadata }).catch((error: unknown) => error);

    expect(conflict).toBeInstanceOf(VersionConflict);
    expect(store.attempts).toBe(MAX_COMMAND_ATTEMPTS);
  });

  it('appends nothing for a command that changes nothing, and answers no position', async () => {
    const store = new InMemoryEventStore();
    await increment(store, 'counter-1', 4);

    const outcome = await handleCommand(store, decisionOn('counter-1', counter, { by: 0 }), { metadata });

    expect({ lastPosition: outcome.lastPosition, state: outcome.stateOf('counter-1', counter), version: outcome.versionOf('counter-1') }).toEqual({
      lastPosition: undefined,
      state: 4,
      version: 1n,
    });
  });

  it('answers a refusal on fresh state at once, without appending', async () => {
    const store = new InMemoryEventStore();
    await increment(store, 'counter-1', 10);

    await expect(handleCommand(store, decisionOn('counter-1', counter, { by: 1 }), { metadata, cache: new AggregateCache() })).rejects.toThrow('over the limit');
    expect((await store.readStream('counter-1')).length).toBe(1);
  });
});

describe('AggregateCache', () => {
  const entry = { state: 1, version: 1n, eventsRead: 1, snapshotVersion: 0n };

  it('forgets an entry once it is older than its time to live, and the least recently used one beyond its size', () => {
    let now = 0;
    const cache = new AggregateCache(2, 1_000, () => now);
    cache.set('a', entry);
    cache.set('b', entry);
    cache.get('a');
    cache.set('c', entry);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([entry, undefined, entry]);
    now = 1_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops expired entries as new ones are written, so it holds what was written within its time to live', () => {
    let now = 0;
    const cache = new AggregateCache(100, 1_000, () => now);
    for (let i = 0; i < 50; i++) cache.set(`order-${i}`, entry);
    cache.set('product-hot', entry);
    now = 900;
    cache.set('product-hot', entry);
    now = 1_000;
    cache.set('order-new', entry);
    // The 50 orders written at 0 expired at 1,000; the product rewritten at 900 and the new order stay.
    expect(cache.size).toBe(2);
    expect([cache.get('product-hot'), cache.get('order-new')]).toEqual([entry, entry]);
  });
});
