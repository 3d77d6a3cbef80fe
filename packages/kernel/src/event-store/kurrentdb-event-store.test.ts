import { describe, expect, it } from '@jest/globals';
import { ANY, BACKWARDS, END, FORWARDS, NO_STREAM, START, STREAM_EXISTS, StreamDeletedError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { VersionConflict, type NewEvent } from './event-store.port.js';
import {
  isKurrentInternalRecord,
  kurrentChainHash,
  kurrentEventData,
  kurrentEventMetadata,
  kurrentReadStreamOptions,
  kurrentRecordHash,
  kurrentSnapshotData,
  kurrentSnapshotStream,
  kurrentStreamState,
  recordedEventFromKurrent,
  snapshotFromKurrent,
  snapshotSupersedes,
  KURRENT_SNAPSHOT_EVENT_TYPE,
  streamMetadataFromKurrent,
  versionConflictFromKurrent,
  versionFromKurrentState,
  KURRENT_ZERO_HASH,
  type KurrentRecord,
} from './kurrentdb-event-store.js';

const metadata = { correlationId: 'c-1', causationId: 'c-0', actor: { userId: 'u-1', role: 'admin' } };
const newEvent = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  eventId: '6a1f3b0e-8d1c-4a57-9f3e-2b8f5c0d7e11',
  type: 'ProductCreated',
  schemaVersion: 1,
  data: { name: 'Tea', priceCents: 450 },
  metadata,
  ...overrides,
});
/** What the client hands back for an event this adapter wrote: revision 4 at $all position 1200. */
const record = (overrides: Partial<KurrentRecord> = {}): KurrentRecord => ({
  streamId: 'product-1',
  id: '6a1f3b0e-8d1c-4a57-9f3e-2b8f5c0d7e11',
  revision: 4n,
  type: 'ProductCreated',
  created: new Date('2025-01-02T03:04:05.678Z'),
  isJson: true,
  data: { name: 'Tea', priceCents: 450 },
  metadata: { ...metadata, $shopSchemaVersion: 1, $shopHash: 'a'.repeat(64) },
  position: { commit: 1200n, prepare: 1200n },
  ...overrides,
});
const wrongExpectedVersion = (expected: bigint | 'no_stream' | 'stream_exists' | 'any', current: bigint | 'no_stream') =>
  new WrongExpectedVersionError(undefined, { streamName: 'product-1', expected, current });

describe('expected versions to KurrentDB stream states', () => {
  it('maps the named expectations to their constants', () => {
    expect(kurrentStreamState('no_stream')).toBe(NO_STREAM);
    expect(kurrentStreamState('exists')).toBe(STREAM_EXISTS);
    expect(kurrentStreamState('any')).toBe(ANY);
  });

  it('maps version n to revision n - 1 and version 0 to no stream', () => {
    expect(kurrentStreamState(1n)).toBe(0n);
    expect(kurrentStreamState(42n)).toBe(41n);
    expect(kurrentStreamState(0n)).toBe(NO_STREAM);
  });

  it('refuses a negative expected version', () => {
    expect(() => kurrentStreamState(-1n)).toThrow(RangeError);
  });
});

describe('KurrentDB conflicts to VersionConflict', () => {
  it('reports the actual version as the actual revision + 1', () => {
    const conflict = versionConflictFromKurrent(wrongExpectedVersion(0n, 1n), 'product-1', 1n);
    expect(conflict).toBeInstanceOf(VersionConflict);
    expect(conflict).toMatchObject({ streamId: 'product-1', expected: 1n, actual: 2n });
  });

  it('reports a missing stream as version 0, never -1', () => {
    expect(versionConflictFromKurrent(wrongExpectedVersion('stream_exists', 'no_stream'), 'product-1', 'exists')).toMatchObject({ expected: 'exists', actual: 0n });
    expect(versionFromKurrentState(-1n)).toBe(0n);
    expect(versionFromKurrentState('no_stream')).toBe(0n);
    expect(versionFromKurrentState(0n)).toBe(1n);
  });

  it('keeps the expected version in our vocabulary, not KurrentDB revisions', () => {
    expect(versionConflictFromKurrent(wrongExpectedVersion(NO_STREAM, 2n), 'product-1', 'no_stream')).toMatchObject({ expected: 'no_stream', actual: 3n });
  });

  it('does not turn other failures into conflicts', () => {
    expect(versionConflictFromKurrent(StreamDeletedError.fromStreamName('product-1'), 'product-1', 'any')).toBeUndefined();
    expect(versionConflictFromKurrent(new Error('connection refused'), 'product-1', 1n)).toBeUndefined();
  });
});

describe('stream read options', () => {
  it('reads forwards from the start by default', () => {
    expect(kurrentReadStreamOptions()).toEqual({ direction: FORWARDS, fromRevision: START });
  });

  it('reads forwards from version v at revision v - 1', () => {
    expect(kurrentReadStreamOptions({ fromVersion: 3n, maxCount: 2 })).toEqual({ direction: FORWARDS, fromRevision: 2n, maxCount: 2 });
  });

  it('reads backwards from the end by default, or from version v at revision v - 1', () => {
    expect(kurrentReadStreamOptions({ direction: 'backwards' })).toEqual({ direction: BACKWARDS, fromRevision: END });
    expect(kurrentReadStreamOptions({ direction: 'backwards', fromVersion: 4n, maxCount: 2 })).toEqual({ direction: BACKWARDS, fromRevision: 3n, maxCount: 2 });
  });

  it('treats version 0 as the start of the stream', () => {
    expect(kurrentReadStreamOptions({ fromVersion: 0n })).toEqual({ direction: FORWARDS, fromRevision: START });
  });
});

describe('KurrentDB records to recorded events', () => {
  it('maps revision to version, the commit position to the global position and created to recordedAt', () => {
    const event = recordedEventFromKurrent(record());
    expect(event).toEqual({
      eventId: '6a1f3b0e-8d1c-4a57-9f3e-2b8f5c0d7e11',
      streamId: 'product-1',
      streamVersion: 5n,
      globalPosition: 1200n,
      type: 'ProductCreated',
      schemaVersion: 1,
      data: { name: 'Tea', priceCents: 450 },
      metadata,
      recordedAt: new Date('2025-01-02T03:04:05.678Z'),
      hash: 'a'.repeat(64),
    });
  });

  it('strips the adapter keys and foreign keys from the metadata it returns', () => {
    const event = recordedEventFromKurrent(record({ metadata: { ...metadata, $shopSchemaVersion: 2, $shopHash: 'b'.repeat(64), $correlationId: 'x' } }));
    expect(event.metadata).toEqual(metadata);
    expect(event.schemaVersion).toBe(2);
    expect(event.hash).toBe('b'.repeat(64));
  });

  it('reads back the string-only metadata written by a multi-stream append', () => {
    const flat = kurrentEventMetadata(newEvent({ schemaVersion: 3 }), 'c'.repeat(64), true);
    expect(Object.values(flat).every((value) => typeof value === 'string')).toBe(true);
    const event = recordedEventFromKurrent(record({ metadata: flat }));
    expect([event.metadata, event.schemaVersion, event.hash]).toEqual([metadata, 3, 'c'.repeat(64)]);
  });

  it('upcasts older schema versions on read', () => {
    const upcasters = { ProductCreated: { 1: (data: Record<string, unknown>) => ({ ...data, description: '' }) } };
    const event = recordedEventFromKurrent(record(), upcasters);
    expect([event.schemaVersion, event.data]).toEqual([2, { name: 'Tea', priceCents: 450, description: '' }]);
  });

  it('refuses a record this adapter did not write', () => {
    expect(() => recordedEventFromKurrent(record({ metadata: metadata }))).toThrow();
    expect(() => recordedEventFromKurrent(record({ isJson: false, data: new Uint8Array([1]) }))).toThrow(TypeError);
    expect(() => recordedEventFromKurrent(record({ position: undefined }))).toThrow(TypeError);
  });

  it('leaves system streams, system events and snapshot streams out of the global log', () => {
    expect(isKurrentInternalRecord({ streamId: '$$product-1', type: '$metadata' })).toBe(true);
    expect(isKurrentInternalRecord({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isKurrentInternalRecord({ streamId: 'product-1', type: '$>' })).toBe(true);
    expect(isKurrentInternalRecord({ streamId: kurrentSnapshotStream('product-1'), type: KURRENT_SNAPSHOT_EVENT_TYPE })).toBe(true);
    expect(isKurrentInternalRecord({ streamId: 'product-1', type: 'ProductCreated' })).toBe(false);
  });
});

describe('client-side hash chain', () => {
  it('hashes the same event the same whatever the order of its keys', () => {
    const reordered = newEvent({ data: { priceCents: 450, name: 'Tea' }, metadata: { actor: { role: 'admin', userId: 'u-1' }, causationId: 'c-0', correlationId: 'c-1' } });
    expect(kurrentChainHash(KURRENT_ZERO_HASH, 'product-1', reordered)).toBe(kurrentChainHash(KURRENT_ZERO_HASH, 'product-1', newEvent()));
    expect(kurrentChainHash(KURRENT_ZERO_HASH, 'product-1', newEvent())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('binds each hash to the previous hash, the stream and the event content', () => {
    const base = kurrentChainHash(KURRENT_ZERO_HASH, 'product-1', newEvent());
    expect(kurrentChainHash('1'.repeat(64), 'product-1', newEvent())).not.toBe(base);
    expect(kurrentChainHash(KURRENT_ZERO_HASH, 'product-2', newEvent())).not.toBe(base);
    expect(kurrentChainHash(KURRENT_ZERO_HASH, 'product-1', newEvent({ data: { name: 'Tea', priceCents: 451 } }))).not.toBe(base);
    expect(kurrentChainHash(KURRENT_ZERO_HASH, 'product-1', newEvent({ schemaVersion: 2 }))).not.toBe(base);
  });

  it('chains the events of one append to each other and stores each hash in its metadata', () => {
    const second = newEvent({ eventId: '0e0b5c1a-2f4d-4b6e-8a9c-1d2e3f405162', type: 'ProductRenamed', data: { name: 'Green tea' } });
    const data = kurrentEventData('product-1', [newEvent(), second], KURRENT_ZERO_HASH);
    const first = kurrentChainHash(KURRENT_ZERO_HASH, 'product-1', newEvent());
    expect(data.map((e) => [e.id, e.type, e.contentType])).toEqual([
      [newEvent().eventId, 'ProductCreated', 'application/json'],
      [second.eventId, 'ProductRenamed', 'application/json'],
    ]);
    expect(kurrentRecordHash(data[0]!)).toBe(first);
    expect(kurrentRecordHash(data[1]!)).toBe(kurrentChainHash(first, 'product-1', second));
  });

  it('lets a reader recompute the chain from what it reads back', () => {
    const events = [newEvent(), newEvent({ eventId: '0e0b5c1a-2f4d-4b6e-8a9c-1d2e3f405162', data: { n: 2 } })];
    const stored = kurrentEventData('product-1', events, KURRENT_ZERO_HASH).map((e, i) => record({ id: e.id, revision: BigInt(i), data: e.data, metadata: e.metadata }));
    const read = stored.map((r) => recordedEventFromKurrent(r));
    let previous = KURRENT_ZERO_HASH;
    for (const event of read) {
      expect(event.hash).toBe(kurrentChainHash(previous, event.streamId, event));
      previous = event.hash;
    }
  });
});

describe('stream metadata', () => {
  it('answers the version as the last revision + 1 and no truncation as version 1', () => {
    expect(streamMetadataFromKurrent(3n, undefined)).toEqual({ version: 4n, truncateBefore: 1n, deleted: false });
  });

  it('maps truncate-before revision r to version r + 1', () => {
    expect(streamMetadataFromKurrent(3n, 2)).toEqual({ version: 4n, truncateBefore: 3n, deleted: false });
  });

  it('reads the soft-delete marker (truncate-before long.MaxValue) as deleted, hiding every version', () => {
    expect(streamMetadataFromKurrent(1n, JSON.parse('9223372036854775807'))).toEqual({ version: 2n, truncateBefore: 3n, deleted: true });
  });
});

describe('snapshots', () => {
  it('round-trips a snapshot through its event data', () => {
    const snapshot = { version: 250n, schemaVersion: 1, state: { total: 500 } };
    expect(snapshotFromKurrent({ streamId: 'snapshot-x', type: KURRENT_SNAPSHOT_EVENT_TYPE, data: kurrentSnapshotData(snapshot) })).toEqual(snapshot);
  });

  it('refuses an event that is not a snapshot', () => {
    expect(() => snapshotFromKurrent({ streamId: 'snapshot-x', type: 'ProductCreated', data: {} })).toThrow(TypeError);
  });

  it('keeps the newest snapshot, unless the state shape changed', () => {
    const stored = { version: 10n, schemaVersion: 1, state: {} };
    expect(snapshotSupersedes({ version: 11n, schemaVersion: 1, state: {} }, stored)).toBe(true);
    expect(snapshotSupersedes({ version: 9n, schemaVersion: 1, state: {} }, stored)).toBe(false);
    expect(snapshotSupersedes({ version: 9n, schemaVersion: 2, state: {} }, stored)).toBe(true);
    expect(snapshotSupersedes({ version: 1n, schemaVersion: 1, state: {} }, undefined)).toBe(true);
  });
});
