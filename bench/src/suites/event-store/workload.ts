import { randomUUID } from 'node:crypto';
import { percentile, sortedSamples } from '../../stats.js';

/** What the workload needs of an event store; one adapter per store (stores.ts). */
export interface BenchStore {
  /** Appends one event (`i` goes into its data) expecting the stream to hold exactly `version` events. */
  append(streamId: string, version: number, i: number): Promise<void>;
  /** Reads the whole stream; answers how many events it held. */
  readStream(streamId: string): Promise<number>;
  /** Reads the whole global log from the start in batches; answers the global position of every event delivered. */
  readAll(batchSize: number): Promise<bigint[]>;
  close(): Promise<void>;
}

export interface AppendShape {
  streams: number;
  eventsPerStream: number;
  concurrency: number;
}

export interface WorkloadConfig {
  /** Not measured: opens the pool's connections, prepares statements and warms the JIT the same way for both. */
  warmup: AppendShape;
  appendC1: AppendShape;
  appendC16: AppendShape;
  /** Concurrent readers reading back every stream of appendC16. */
  readers: number;
  readAllBatch: number;
}

export interface AppendFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
}

export interface ReadFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface ReadAllFigures extends ReadFigures {
  /** Events delivered more than once (counted once in `events`). */
  duplicates: number;
  /** Events of the log the read never delivered. */
  missing: number;
}

export interface WorkloadResult {
  appendC1: AppendFigures;
  appendC16: AppendFigures;
  readStreams: ReadFigures;
  readAll: ReadAllFigures;
}

export const newStreamIds = (count: number): string[] => Array.from({ length: count }, () => `bench-${randomUUID()}`);

/**
 * Appends `eventsPerStream` events to every stream, one event per append with the exact expected version.
 * Worker k owns streams k, k + c, k + 2c, … and goes round them version by version, so each stream is written
 * by one worker at a time, in order, while the workers run side by side.
 */
export async function appendPhase(store: BenchStore, streamIds: readonly string[], shape: AppendShape): Promise<AppendFigures> {
  const total = streamIds.length * shape.eventsPerStream;
  const latencies = new Float64Array(total);
  let recorded = 0;
  let i = 0;
  const worker = async (k: number): Promise<void> => {
    const owned = streamIds.filter((_, index) => index % shape.concurrency === k);
    for (let version = 0; version < shape.eventsPerStream; version++) {
      for (const streamId of owned) {
        const started = performance.now();
        await store.append(streamId, version, i++);
        latencies[recorded++] = performance.now() - started;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: shape.concurrency }, (_, k) => worker(k)));
  const seconds = (performance.now() - started) / 1000;
  const sorted = sortedSamples(latencies.subarray(0, recorded));
  return {
    events: recorded,
    seconds,
    eventsPerSecond: recorded / seconds,
    p50: percentile(sorted, 50, { sorted: true }),
    p99: percentile(sorted, 99, { sorted: true }),
  };
}

/** Reads every stream back whole with `readers` concurrent readers; checks each holds `eventsPerStream`. */
export async function readStreamsPhase(
  store: BenchStore,
  streamIds: readonly string[],
  eventsPerStream: number,
  readers: number,
): Promise<ReadFigures> {
  let next = 0;
  let events = 0;
  const reader = async (): Promise<void> => {
    while (next < streamIds.length) {
      const streamId = streamIds[next++]!;
      const count = await store.readStream(streamId);
      if (count !== eventsPerStream) throw new Error(`${streamId} read back ${count} events, expected ${eventsPerStream}`);
      events += count;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: readers }, () => reader()));
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds, eventsPerSecond: events / seconds };
}

/**
 * Reads the whole global log; the rate counts distinct events. A reader that delivers an event twice or skips
 * one is not stopped (that is how the store behaves) but the counts are reported.
 */
export async function readAllPhase(store: BenchStore, batchSize: number, expected: number): Promise<ReadAllFigures> {
  const started = performance.now();
  const positions = await store.readAll(batchSize);
  const seconds = (performance.now() - started) / 1000;
  const events = new Set(positions).size;
  return { events, seconds, eventsPerSecond: events / seconds, duplicates: positions.length - events, missing: Math.max(0, expected - events) };
}

const eventsOf = (shape: AppendShape): number => shape.streams * shape.eventsPerStream;

/**
 * Warm-up, appends at c1, appends at c16, a read warm-up on the c1 streams, stream reads of the c16 streams, global
 * log read: in that order.
 */
export async function runWorkload(
  store: BenchStore,
  config: WorkloadConfig,
  progress: (phase: string, detail: string) => void,
): Promise<WorkloadResult> {
  await appendPhase(store, newStreamIds(config.warmup.streams), config.warmup);
  progress('warm-up', `${eventsOf(config.warmup)} events (not measured)`);

  const describeAppend = (f: AppendFigures): string =>
    `${f.events} events in ${f.seconds.toFixed(1)} s: ${Math.round(f.eventsPerSecond)} events/s, p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms`;
  const describeRead = (f: ReadFigures): string => `${f.events} events in ${f.seconds.toFixed(2)} s: ${Math.round(f.eventsPerSecond)} events/s`;

  const c1Streams = newStreamIds(config.appendC1.streams);
  const appendC1 = await appendPhase(store, c1Streams, config.appendC1);
  progress(`append c${config.appendC1.concurrency}`, describeAppend(appendC1));

  const c16Streams = newStreamIds(config.appendC16.streams);
  const appendC16 = await appendPhase(store, c16Streams, config.appendC16);
  progress(`append c${config.appendC16.concurrency}`, describeAppend(appendC16));

  // Not measured: the read path gets the same warm-up the append path had (statements prepared on every
  // connection, JIT warm), by reading the c1 streams back first.
  await readStreamsPhase(store, c1Streams, config.appendC1.eventsPerStream, config.readers);
  progress('read warm-up', `${c1Streams.length} other streams read (not measured)`);

  const readStreams = await readStreamsPhase(store, c16Streams, config.appendC16.eventsPerStream, config.readers);
  progress(`read ${c16Streams.length} streams c${config.readers}`, describeRead(readStreams));

  const total = eventsOf(config.warmup) + eventsOf(config.appendC1) + eventsOf(config.appendC16);
  const readAll = await readAllPhase(store, config.readAllBatch, total);
  const anomalies = readAll.duplicates + readAll.missing > 0 ? `; ${readAll.duplicates} delivered twice, ${readAll.missing} never delivered` : '';
  progress(`read all (batches of ${config.readAllBatch})`, `${describeRead(readAll)}${anomalies}`);

  return { appendC1, appendC16, readStreams, readAll };
}
