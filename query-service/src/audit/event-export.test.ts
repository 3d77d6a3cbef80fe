import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { InMemoryEventStore, type EventStore, type NewEvent } from '@shop/kernel';
import { exportRange, writeExport, type ExportProgress } from './event-export.js';

const metadata = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };
const event = (n: number): NewEvent => ({ eventId: randomUUID(), type: 'StockReceived', schemaVersion: 1, data: { n, pad: 'x'.repeat(200) }, metadata });

/** A sink that keeps what it got and takes a chunk only when the test says so. */
class HeldSink extends Writable {
  readonly chunks: string[] = [];
  private held: Array<() => void> = [];
  private holding = true;

  constructor() {
    super({ highWaterMark: 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString('utf8'));
    if (this.holding) this.held.push(() => callback());
    else callback();
  }

  release(): void {
    this.holding = false;
    for (const callback of this.held.splice(0)) callback();
  }

  lines(): Array<{ globalPosition: string; streamVersion: number; data: { n: number } }> {
    return this.chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { globalPosition: string; streamVersion: number; data: { n: number } });
  }
}

/** Counts the reads the export makes, on a real in-memory store. */
class CountingStore extends InMemoryEventStore {
  reads = 0;
  override async readAll(after: bigint, maxCount: number) {
    this.reads++;
    return super.readAll(after, maxCount);
  }
}

describe('writeExport', () => {
  const store = new CountingStore();
  const stream = `product-${randomUUID()}`;

  beforeAll(async () => {
    await store.appendToStream(stream, 'no_stream', Array.from({ length: 1000 }, (_, i) => event(i + 1)));
  });

  it('exports exactly the range (after, to], one event a line in global order, with envelopes', async () => {
    const sink = new HeldSink();
    sink.release();
    await writeExport(store, { after: 10n, to: 735n }, sink, { batchSize: 100 });
    const lines = sink.lines();
    expect(lines.map((line) => Number(line.globalPosition))).toEqual(Array.from({ length: 725 }, (_, i) => i + 11));
    expect(lines[0]).toMatchObject({ streamId: stream, streamVersion: 11, type: 'StockReceived', data: { n: 11 }, metadata, hash: expect.any(String) });
  });

  it('reads no further batch while the sink holds the last one: memory stays at about one batch', async () => {
    const sink = new HeldSink();
    store.reads = 0;
    const done = writeExport(store, { after: 0n, to: 1000n }, sink, { batchSize: 50 });
    // Give the pipeline every chance to run ahead: many turns of the event loop while nothing is taken.
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(store.reads).toBeLessThanOrEqual(3);
    sink.release();
    await done;
    expect(store.reads).toBe(20);
    expect(sink.lines()).toHaveLength(1000);
  });

  it('reports progress after each batch, ending at the range’s end', async () => {
    const progress: ExportProgress[] = [];
    const sink = new HeldSink();
    sink.release();
    await writeExport(store, { after: 0n, to: 250n }, sink, { batchSize: 100, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => [p.exported, p.position])).toEqual([
      [100, 100n],
      [200, 200n],
      [250, 250n],
    ]);
  });

  it('ends early and cleanly when the log ends below `to`, and writes nothing for an empty range', async () => {
    const beyond = new HeldSink();
    beyond.release();
    await writeExport(store, { after: 990n, to: 5000n }, beyond, { batchSize: 100 });
    expect(beyond.lines().map((line) => line.data.n)).toEqual([991, 992, 993, 994, 995, 996, 997, 998, 999, 1000]);
    const empty = new HeldSink();
    empty.release();
    await writeExport(store, { after: 20n, to: 20n }, empty);
    expect(empty.chunks).toEqual([]);
  });

  it('stops reading and rejects when the sink goes away mid-export', async () => {
    const sink = new HeldSink();
    store.reads = 0;
    const done = writeExport(store, { after: 0n, to: 1000n }, sink, { batchSize: 50 });
    await new Promise((resolve) => setImmediate(resolve));
    sink.destroy();
    await expect(done).rejects.toThrow();
    const readsAtClose = store.reads;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.reads).toBe(readsAtClose);
    expect(readsAtClose).toBeLessThan(20);
  });

  it('rejects with the store’s error when a read fails, after the lines already written', async () => {
    const failing: EventStore = Object.assign(Object.create(store) as EventStore, {
      readAll: async (after: bigint, maxCount: number) => {
        if (after >= 100n) throw new Error('connection lost');
        return store.readAll(after, maxCount);
      },
    });
    const sink = new HeldSink();
    sink.release();
    await expect(writeExport(failing, { after: 0n, to: 1000n }, sink, { batchSize: 100 })).rejects.toThrow('connection lost');
    expect(sink.lines()).toHaveLength(100);
  });
});

describe('exportRange', () => {
  it('runs through `to`, or the store head when `to` is absent or beyond it', () => {
    expect(exportRange(10n, 20n, 100n)).toEqual({ after: 10n, to: 20n });
    expect(exportRange(10n, undefined, 100n)).toEqual({ after: 10n, to: 100n });
    expect(exportRange(10n, 500n, 100n)).toEqual({ after: 10n, to: 100n });
  });

  it('is empty, never reversed, when `after` lies at or past the head', () => {
    expect(exportRange(100n, undefined, 100n)).toEqual({ after: 100n, to: 100n });
    expect(exportRange(500n, 900n, 100n)).toEqual({ after: 500n, to: 500n });
  });
});
