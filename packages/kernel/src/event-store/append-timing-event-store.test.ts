import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AppendTimingEventStore, type AppendOutcome } from './append-timing-event-store.js';
import { eventStoreContract } from './event-store.contract.js';
import { VersionConflict, type NewEvent } from './event-store.port.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

// The decorator changes nothing a caller sees: the whole contract holds through it.
eventStoreContract(
  'append-timing over in-memory',
  async (upcasters) => ({ store: new AppendTimingEventStore(new InMemoryEventStore({ upcasters }), () => undefined), dispose: async () => undefined }),
  { densePositions: true },
);

const event = (): NewEvent => ({
  eventId: randomUUID(),
  type: 'Noted',
  schemaVersion: 1,
  data: {},
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: { system: 'test' } },
});

describe('AppendTimingEventStore', () => {
  const observed = (): { store: AppendTimingEventStore; seen: { seconds: number; events: number; outcome: AppendOutcome }[] } => {
    const seen: { seconds: number; events: number; outcome: AppendOutcome }[] = [];
    const store = new AppendTimingEventStore(new InMemoryEventStore(), (seconds, events, outcome) => seen.push({ seconds, events, outcome }));
    return { store, seen };
  };

  it('observes each append once with its event count and outcome ok', async () => {
    const { store, seen } = observed();
    await store.appendToStream('note-1', 'no_stream', [event(), event()]);
    await store.appendToStreams([
      { streamId: 'note-2', expected: 'no_stream', events: [event()] },
      { streamId: 'note-3', expected: 'no_stream', events: [event(), event(), event()] },
    ]);
    expect(seen).toEqual([
      { seconds: expect.any(Number), events: 2, outcome: 'ok' },
      { seconds: expect.any(Number), events: 4, outcome: 'ok' },
    ]);
    expect(seen.every(({ seconds }) => seconds >= 0 && seconds < 5)).toBe(true);
  });

  it('observes a refused append as version_conflict and still throws the conflict', async () => {
    const { store, seen } = observed();
    await store.appendToStream('note-1', 'no_stream', [event()]);
    await expect(store.appendToStream('note-1', 'no_stream', [event()])).rejects.toBeInstanceOf(VersionConflict);
    expect(seen.map(({ outcome }) => outcome)).toEqual(['ok', 'version_conflict']);
  });

  it('does not observe reads', async () => {
    const { store, seen } = observed();
    await store.readStream('note-1');
    await store.readAll(0n, 10);
    expect(seen).toEqual([]);
  });
});
