import { open } from 'node:fs/promises';
import { readStoreHead, type EventStore, type Queryable } from '@shop/kernel';
import { exportRange, writeExport } from '../event-export.js';
import type { AuditCommand } from './arguments.js';
import { formatExportProgress } from './terminal-lines.js';
import { ProgressClock, reason, say } from './terminal.js';

/** `export`: a fixed range of the log as NDJSON, to stdout or into a new file, progress on stderr. */
export async function runExport(command: Extract<AuditCommand, { kind: 'export' }>, store: EventStore, db: Queryable): Promise<number> {
  const head = await readStoreHead(db);
  // A fixed range: events appended while the export runs are not in it (run again with --after to follow).
  const range = exportRange(command.after, command.to, head);
  let file;
  if (command.out !== undefined) {
    try {
      file = await open(command.out, 'wx', 0o644);
    } catch (error) {
      say(`not written: ${command.out}: ${reason(error)} (an export never overwrites a file; choose another --out)`);
      return 1;
    }
  }
  const clock = new ProgressClock();
  let exported = 0;
  const destination = command.out ?? 'stdout';
  try {
    await writeExport(store, range, file ? file.createWriteStream() : process.stdout, {
      // stdout stays open for whatever the process still says; a file is closed at the end.
      end: file !== undefined,
      onProgress: (progress) => {
        exported = progress.exported;
        const elapsed = clock.due();
        if (elapsed !== undefined) say(`[audit] ${formatExportProgress(progress, elapsed)}`);
      },
    });
  } catch (error) {
    say(`export failed after ${exported} events: ${reason(error)}${file ? ` (${command.out} is incomplete)` : ''}`);
    return 1;
  } finally {
    await file?.close().catch(() => undefined);
  }
  say(`[audit] ${formatExportProgress({ exported, position: range.to, range }, clock.elapsedMs)}`);
  say(`exported ${exported} events (after position ${range.after} through ${range.to}) to ${destination}`);
  return 0;
}
