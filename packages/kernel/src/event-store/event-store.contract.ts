import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadAggregate, snapshotIfDue, type AggregateDefinition } from './aggregate.js';
import { VersionConflict, type EventStore, type NewEvent, type RecordedEvent } from './event-store.port.js';
import type { Upcasters } from './upcasting.js';

/**
 * The one contract every event-store adapter passes. Each adapter's test file calls this with a factory that
 * gives a store on a fresh backend (and takes the upcasters the store must apply on read).
 */
export interface ContractSubject {
  store: EventStore;
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** Global positions are consecutive integers (Postgres, in-memory); KurrentDB's are only increasing. */
  densePositions: boolean;
}

const metadata = { correlationId: 'contract', causationId: 'contract', actor: { system: 'contract' } };
export const contractEvent = (type = 'Thing', data: Record<string, unknown> = { n: 1 }, schemaVersion = 1): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion,
  data,
  metadata,
});
const newStream = (): string => `contract-${randomUUID().replaceAll('-', '')}`;

async function eventually<T>(read: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const CONTRACT_UPCASTERS: Upcasters = {
  // Version 1 named the field `title`; version 2 calls it `name` and adds `tags`.
  Renamed: { 1: ({ title, ...rest }) => ({ ...rest, name: title }), 2: (data) => ({ ...data, tags: [] }) },
};

export function eventStoreContract(
  adapter: string,
  makeSubject: (upcasters: Upcasters) => Promise<ContractSubject>,
  options: ContractOptions,
): void {
  describe(`event store contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await makeSubject(CONTRACT_UPCASTERS);
      store = subject.store;
    });
    afterAll(() => subject?.dispose());

    describe('append and read', () => {
      it('appends to a new stream and reads the events back with their envelope', async () => {
        const stream = newStream();
        const events = [contractEvent('Made', { a: 1 }), contractEvent('Changed', { a: 2 })];
        const result = await store.appendToStream(stream, 'no_stream', events);
        expect(result.nextVersion).toBe(2n);
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.eventId, e.streamId, e.type, e.streamVersion, e.data])).toEqual([
          [events[0]!.eventId, stream, 'Made', 1n, { a: 1 }],
          [events[1]!.eventId, stream, 'Changed', 2n, { a: 2 }],
        ]);
        expect(read[1]!.globalPosition).toBe(result.lastPosition);
        expect(read[0]!.metadata).toEqual(metadata);
        expect(read[0]!.recordedAt).toBeInstanceOf(Date);
      });

      it('chains each event to the previous one of its stream by a sha256 hash', async () => {
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [contractEvent(), contractEvent()]);
        await store.appendToStream(stream, 2n, [contractEvent()]);
        const hashes = (await store.readStream(stream)).map((e) => e.hash);
        expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
        expect(new Set(hashes).size).toBe(3);
      });

      it('reads an absent stream as empty', async () => {
        expect(await store.readStream(newStream())).toEqual([]);
        expect(await store.readStreamMetadata(newStream())).toBeUndefined();
      });

      it('reads forwards from a version, backwards from a version, and at most maxCount events', async () => {
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [1, 2, 3, 4, 5].map((n) => contractEvent('N', { n })));
        const n = (events: RecordedEvent[]) => events.map((e) => e.data.n);
        expect(n(await store.readStream(stream, { fromVersion: 3n }))).toEqual([3, 4, 5]);
        expect(n(await store.readStream(stream, { fromVersion: 2n, maxCount: 2 }))).toEqual([2, 3]);
        expect(n(await store.readStream(stream, { direction: 'backwards' }))).toEqual([5, 4, 3, 2, 1]);
        expect(n(await store.readStream(stream, { direction: 'backwards', fromVersion: 4n, maxCount: 2 }))).toEqual([4, 3]);
      });

      it('reads the global log in order, in batches, strictly after a position', async () => {
        const before = await lastPosition(store);
        const first = await store.appendToStream(newStream(), 'no_stream', [contractEvent('G', { i: 1 }), contractEvent('G', { i: 2 })]);
        await store.appendToStream(newStream(), 'no_stream', [contractEvent('G', { i: 3 })]);
        const all = await store.readAll(before, 100);
        expect(all.filter((e) => e.type === 'G').map((e) => e.data.i)).toEqual([1, 2, 3]);
        const afterFirst = await store.readAll(first.lastPosition, 1);
        expect(afterFirst.map((e) => e.data.i)).toEqual([3]);
        const positions = all.map((e) => e.globalPosition);
        expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
        if (options.densePositions) expect(positions).toEqual(positions.map((_, i) => before + BigInt(i) + 1n));
      });
    });

    describe('expected versions', () => {
      it('accepts each expected-version form when it holds', async () => {
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [contractEvent()]);
        await store.appendToStream(stream, 'exists', [contractEvent()]);
        await store.appendToStream(stream, 'any', [contractEvent()]);
        expect((await store.appendToStream(stream, 3n, [contractEvent()])).nextVersion).toBe(4n);
        expect((await store.appendToStream(newStream(), 'any', [contractEvent()])).nextVersion).toBe(1n);
      });

      it('raises one VersionConflict carrying the expected and the actual version', async () => {
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [contractEvent(), contractEvent()]);
        const conflict = await store.appendToStream(stream, 1n, [contractEvent()]).catch((error: unknown) => error);
        expect(conflict).toBeInstanceOf(VersionConflict);
        expect(conflict).toMatchObject({ streamId: stream, expected: 1n, actual: 2n });
        await expect(store.appendToStream(stream, 'no_stream', [contractEvent()])).rejects.toMatchObject({ expected: 'no_stream', actual: 2n });
        await expect(store.appendToStream(newStream(), 'exists', [contractEvent()])).rejects.toMatchObject({ expected: 'exists', actual: 0n });
        await expect(store.appendToStream(newStream(), 5n, [contractEvent()])).rejects.toBeInstanceOf(VersionConflict);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('treats a retried append with the same event ids as done, without duplicates', async () => {
        const stream = newStream();
        const events = [contractEvent(), contractEvent()];
        const first = await store.appendToStream(stream, 'no_stream', events);
        expect(await store.appendToStream(stream, 'no_stream', events)).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('answers retries the first result also when they arrive among fresh appends, whatever their expectation', async () => {
        const [exact, any] = [newStream(), newStream()];
        const exactEvents = [contractEvent()];
        const anyEvents = [contractEvent()];
        const firstExact = await store.appendToStream(exact, 'no_stream', exactEvents);
        const firstAny = await store.appendToStream(any, 'any', anyEvents);
        const fresh = Array.from({ length: 8 }, () => newStream());
        // Sent together, so a store that groups appends sees the retries in one batch with the fresh ones.
        const [retriedExact, retriedAny, ...others] = await Promise.all([
          store.appendToStream(exact, 'no_stream', exactEvents),
          store.appendToStream(any, 'any', anyEvents),
          ...fresh.map((stream) => store.appendToStream(stream, 'no_stream', [contractEvent()])),
        ]);
        expect(retriedExact).toEqual(firstExact);
        expect(retriedAny).toEqual(firstAny);
        expect(others.map((r) => r.nextVersion)).toEqual(fresh.map(() => 1n));
        expect(await store.readStream(exact)).toHaveLength(1);
        expect(await store.readStream(any)).toHaveLength(1);
      });

      it('lets exactly one of 32 concurrent appends win each version of one stream', async () => {
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [contractEvent()]);
        const outcomes = await Promise.allSettled(Array.from({ length: 32 }, () => store.appendToStream(stream, 1n, [contractEvent()])));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(losers.every((o) => o.reason instanceof VersionConflict && o.reason.actual === 2n)).toBe(true);
        expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1n, 2n]);
      });

      it('refuses empty appends and a stream named twice in one append', async () => {
        await expect(store.appendToStream(newStream(), 'any', [])).rejects.toThrow(TypeError);
        const stream = newStream();
        await expect(store.appendToStreams([{ streamId: stream, expected: 'any', events: [contractEvent()] }, { streamId: stream, expected: 'any', events: [contractEvent()] }])).rejects.toThrow(TypeError);
      });
    });

    describe('atomic appends to several streams', () => {
      it('writes every stream or none', async () => {
        const [a, b, c] = [newStream(), newStream(), newStream()];
        await store.appendToStream(c, 'no_stream', [contractEvent()]);
        const results = await store.appendToStreams([
          { streamId: a, expected: 'no_stream', events: [contractEvent('A')] },
          { streamId: b, expected: 'no_stream', events: [contractEvent('B'), contractEvent('B')] },
        ]);
        expect(results.map((r) => r.nextVersion)).toEqual([1n, 2n]);

        const failed = await store
          .appendToStreams([
            { streamId: a, expected: 1n, events: [contractEvent('A2')] },
            { streamId: c, expected: 'no_stream', events: [contractEvent('C2')] },
          ])
          .catch((error: unknown) => error);
        expect(failed).toMatchObject({ streamId: c, actual: 1n });
        expect(failed).toBeInstanceOf(VersionConflict);
        expect(await store.readStream(a)).toHaveLength(1);
        expect(await store.readStream(c)).toHaveLength(1);
      });

      it('takes an idempotency claim only where it says it can, and otherwise refuses it without writing', async () => {
        const stream = newStream();
        const claim = { userId: 'contract-user', key: `key-${stream}`, requestHash: 'h' };
        const append = store.appendToStreams([{ streamId: stream, expected: 'no_stream', events: [contractEvent()] }], { claim });
        if (store.claimsIdempotencyKeys) {
          await expect(append).resolves.toHaveLength(1);
        } else {
          await expect(append).rejects.toBeInstanceOf(TypeError);
          expect(await store.readStream(stream)).toEqual([]);
        }
      });
    });

    describe('subscriptions', () => {
      it('catches up from a position, then delivers new events live, in global order', async () => {
        const before = await lastPosition(store);
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [contractEvent('Sub', { i: 1 })]);
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          after: before,
          onEvents: async (events) => void seen.push(...events.filter((e) => e.streamId === stream)),
        });
        try {
          await eventually(() => (seen.length === 1 ? true : undefined));
          await store.appendToStream(stream, 1n, [contractEvent('Sub', { i: 2 }), contractEvent('Sub', { i: 3 })]);
          await eventually(() => (seen.length === 3 ? true : undefined));
          expect(seen.map((e) => e.data.i)).toEqual([1, 2, 3]);
        } finally {
          await subscription.stop();
        }
      });
    });

    describe('stream metadata', () => {
      it('hides versions below truncate-before from stream reads', async () => {
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [1, 2, 3, 4].map((n) => contractEvent('T', { n })));
        await store.truncateStream(stream, 3n);
        expect((await store.readStream(stream)).map((e) => e.data.n)).toEqual([3, 4]);
        expect((await store.readStream(stream, { direction: 'backwards' })).map((e) => e.data.n)).toEqual([4, 3]);
        expect(await store.readStreamMetadata(stream)).toMatchObject({ version: 4n, truncateBefore: 3n, deleted: false });
      });

      it('soft-deletes a stream: it reads as empty and a later append continues its versions', async () => {
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [contractEvent(), contractEvent()]);
        await expect(store.deleteStream(stream, 1n)).rejects.toBeInstanceOf(VersionConflict);
        await store.deleteStream(stream, 2n);
        expect(await store.readStream(stream)).toEqual([]);
        expect(await store.readStreamMetadata(stream)).toMatchObject({ deleted: true });
        const again = await store.appendToStream(stream, 'no_stream', [contractEvent('Again')]);
        expect(again.nextVersion).toBe(3n);
        expect((await store.readStream(stream)).map((e) => [e.type, e.streamVersion])).toEqual([['Again', 3n]]);
      });
    });

    describe('snapshots and upcasting', () => {
      type Counter = { total: number };
      const counter: AggregateDefinition<Counter, { add: number }> = {
        initialState: { total: 0 },
        evolve: (state, event) => ({ total: state.total + event.add }),
        parse: (event) => ({ add: Number(event.data.add) }),
        snapshot: { schemaVersion: 1, every: 50 },
      };

      it('loads a long stream from its snapshot, reading fewer events than the snapshot interval', async () => {
        const stream = newStream();
        let loaded = await loadAggregate(store, stream, counter);
        for (let batch = 0; batch < 12; batch++) {
          const events = Array.from({ length: 25 }, () => contractEvent('Added', { add: 2 }));
          const { nextVersion } = await store.appendToStream(stream, loaded.version === 0n ? 'no_stream' : loaded.version, events);
          const state = events.reduce((s, e) => counter.evolve(s, counter.parse(e as unknown as RecordedEvent)), loaded.state);
          await snapshotIfDue(store, stream, counter, loaded, state, nextVersion);
          loaded = await loadAggregate(store, stream, counter);
        }
        expect(loaded.state).toEqual({ total: 600 });
        expect(loaded.version).toBe(300n);
        expect(loaded.eventsRead).toBeLessThan(50);
        expect((await store.readSnapshot(stream))?.version).toBeGreaterThanOrEqual(250n);
      });

      it('ignores a snapshot written in another state shape and rebuilds from events', async () => {
        const stream = newStream();
        await store.appendToStream(stream, 'no_stream', [contractEvent('Added', { add: 5 })]);
        await store.writeSnapshot(stream, { version: 1n, schemaVersion: 99, state: { wrong: true } });
        const loaded = await loadAggregate(store, stream, counter);
        expect(loaded.state).toEqual({ total: 5 });
        await store.writeSnapshot(stream, { version: 0n, schemaVersion: 99, state: { older: true } });
        expect((await store.readSnapshot(stream))?.state).toEqual({ wrong: true });
      });

      it('upcasts older event versions on read, in stream reads and in the global log', async () => {
        const stream = newStream();
        const before = await lastPosition(store);
        await store.appendToStream(stream, 'no_stream', [contractEvent('Renamed', { title: 'old' }, 1), contractEvent('Renamed', { name: 'new', tags: ['x'] }, 3)]);
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.schemaVersion, e.data])).toEqual([
          [3, { name: 'old', tags: [] }],
          [3, { name: 'new', tags: ['x'] }],
        ]);
        const logged = (await store.readAll(before, 10)).filter((e) => e.streamId === stream);
        expect(logged[0]!.data).toEqual({ name: 'old', tags: [] });
      });
    });
  });
}

async function lastPosition(store: EventStore): Promise<bigint> {
  let position = 0n;
  for (;;) {
    const batch = await store.readAll(position, 10_000);
    if (batch.length === 0) return position;
    position = batch.at(-1)!.globalPosition;
  }
}
