import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EventStore } from '@shop/kernel';
import { toAuditEvent } from './audit.views.js';

/**
 * The NDJSON export of a range of the global log (`GET /api/audit/events.ndjson`, `npm run audit -- export`): one
 * event a line, each with its envelope as the paged audit reads show it (AuditEvent). The range is read in
 * keyset batches through the event-store port, and a batch is only read once the sink has taken the one before:
 * memory holds about one batch however long the range.
 */

/** Events strictly after `after`, through `to` (both global positions). */
export interface ExportRange {
  after: bigint;
  to: bigint;
}

export interface ExportProgress {
  exported: number;
  /** Exported through this position so far. */
  position: bigint;
  range: ExportRange;
}

export const DEFAULT_EXPORT_BATCH = 500;

/**
 * The range an export covers: through `to` when given, but never past the store head at the start (an export is a
 * fixed slice, not a tail that never ends), and never ending before it begins (past the head: an empty range).
 */
export function exportRange(after: bigint, to: bigint | undefined, head: bigint): ExportRange {
  const end = to === undefined || to > head ? head : to;
  return { after, to: end < after ? after : end };
}

/**
 * The range's lines, one string per batch. An async generator: Readable.from pulls the next batch only when its
 * buffer has room, which is what carries the sink's back-pressure down to the Postgres reads.
 */
export async function* exportLines(
  store: EventStore,
  range: ExportRange,
  options: { batchSize?: number; onProgress?: (progress: ExportProgress) => void } = {},
): AsyncGenerator<string> {
  const batchSize = BigInt(options.batchSize ?? DEFAULT_EXPORT_BATCH);
  let after = range.after;
  let exported = 0;
  while (after < range.to) {
    const want = range.to - after < batchSize ? range.to - after : batchSize;
    // Positions are dense in a healthy log; the filter keeps the range exact even where one is missing.
    const events = (await store.readAll(after, Number(want))).filter((event) => event.globalPosition <= range.to);
    const last = events.at(-1);
    if (!last) return;
    yield events.map((event) => `${JSON.stringify(toAuditEvent(event))}\n`).join('');
    exported += events.length;
    after = last.globalPosition;
    options.onProgress?.({ exported, position: after, range });
  }
}

/**
 * Streams the range into `sink` (an HTTP response, a file, stdout) with back-pressure; resolves when the sink has
 * taken the last line. A sink that goes away (a client hanging up) rejects and stops the reads.
 */
export async function writeExport(
  store: EventStore,
  range: ExportRange,
  sink: Writable,
  options: { batchSize?: number; onProgress?: (progress: ExportProgress) => void; end?: boolean } = {},
): Promise<void> {
  // Not object mode: the readable buffers by bytes, so one batch (hundreds of KB) already fills it.
  const source = Readable.from(exportLines(store, range, options), { objectMode: false });
  await pipeline(source, sink, { end: options.end ?? true });
}
