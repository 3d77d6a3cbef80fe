import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BACKWARDS, END, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { contractEvent, eventStoreContract } from './event-store.contract.js';
import { kurrentChainHash, KurrentDbEventStore, kurrentSnapshotStream, KURRENT_ZERO_HASH } from './kurrentdb-event-store.js';

/*
 * Runs against the live KurrentDB at KURRENTDB_URL (e.g. kurrentdb://localhost:2113?tls=false). jest.config.js
 * leaves this file out when the variable is unset: no KurrentDB server can run on the development machines.
 */
async function connect(): Promise<KurrentDBClient> {
  const url = process.env.KURRENTDB_URL;
  if (!url) throw new Error('KURRENTDB_URL is not set (jest.config.js runs this file only when it is)');
  const client = KurrentDBClient.connectionString(url);
  try {
    // The client connects lazily: one read turns an unreachable server into one clear setup error.
    for await (const _ of client.readAll({ maxCount: 1 })) break;
  } catch (error) {
    await client.dispose();
    throw new Error(`KurrentDB at ${url} cannot be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return client;
}

eventStoreContract(
  'kurrentdb',
  async (upcasters) => {
    const client = await connect();
    return { store: new KurrentDbEventStore(client, { upcasters }), dispose: () => client.dispose() };
  },
  { densePositions: false },
);

describe('KurrentDbEventStore specifics (live KurrentDB)', () => {
  let client: KurrentDBClient | undefined;
  let store: KurrentDbEventStore;

  beforeAll(async () => {
    client = await connect();
    store = new KurrentDbEventStore(client);
  });

  afterAll(async () => {
    await client?.dispose();
  });

  it('stores a client-side hash chain that a reader recomputes link by link', async () => {
    const stream = `chain-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [contractEvent('A', { x: 'ü' }), contractEvent('B', { nested: { b: 2, a: 1 } })]);
    await store.appendToStream(stream, 'any', [contractEvent('C')]);
    const events = await store.readStream(stream);
    let previous = KURRENT_ZERO_HASH;
    for (const event of events) {
      expect(event.hash).toBe(kurrentChainHash(previous, stream, event));
      previous = event.hash;
    }
    expect(events).toHaveLength(3);
  });

  it('keeps snapshot streams out of the global log', async () => {
    const stream = `snap-${randomUUID()}`;
    let before = 0n;
    for await (const { event } of client!.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) before = event?.position.commit ?? 0n;
    await store.appendToStream(stream, 'no_stream', [contractEvent()]);
    await store.writeSnapshot(stream, { version: 1n, schemaVersion: 1, state: { n: 1 } });
    const logged = await store.readAll(before, 1_000);
    expect(logged.filter((e) => e.streamId === stream)).toHaveLength(1);
    expect(logged.some((e) => e.streamId === kurrentSnapshotStream(stream))).toBe(false);
  });

  it('refuses to append to a stream name reserved for snapshots', async () => {
    await expect(store.appendToStream(kurrentSnapshotStream(`x-${randomUUID()}`), 'any', [contractEvent()])).rejects.toThrow(TypeError);
  });
});
