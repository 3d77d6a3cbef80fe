import type { VerifyProgress } from '@shop/kernel';
import { formatAnchor } from '../audit.params.js';
import type { AuditEventView, VerifyResultView } from '../audit.views.js';
import type { ExportProgress } from '../event-export.js';

/** What the audit CLI prints to a terminal: pure, values in, lines out. */

const count = (n: number): string => n.toLocaleString('en-US');

export function formatExportProgress(progress: ExportProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((progress.exported / elapsedMs) * 1_000) : 0;
  return `exported ${count(progress.exported)} events through position ${progress.position} of ${progress.range.to} (${count(rate)} events/s)`;
}

export function formatEventLine(event: AuditEventView): string {
  return [
    `v${event.streamVersion}`,
    `@${event.globalPosition}`,
    event.recordedAt,
    `${event.type}/${event.schemaVersion}`,
    `hash ${event.hash}`,
    `actor ${JSON.stringify(event.metadata.actor)}`,
    `correlation ${event.metadata.correlationId}`,
    JSON.stringify(event.data),
  ].join('  ');
}

export function formatProgress(progress: VerifyProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((progress.eventsChecked / elapsedMs) * 1_000) : 0;
  const broken = progress.brokenLinks === 0 ? 'none broken' : `${count(progress.brokenLinks)} broken`;
  return `checked ${count(progress.eventsChecked)} events through position ${progress.position} of ${progress.throughPosition} (${broken}, ${count(rate)} events/s)`;
}

/** The verdict as lines for a terminal: what was proven, or the first broken link with both hashes. */
export function formatVerdict(verdict: VerifyResultView): string[] {
  const lines: string[] = [];
  const broken = verdict.firstBroken;
  if (broken) {
    lines.push(
      `BROKEN: ${count(verdict.brokenLinks)} broken link${verdict.brokenLinks === 1 ? '' : 's'} in ${count(verdict.eventsChecked)} events through position ${verdict.throughPosition}`,
      `first broken link: ${broken.reason} at ${broken.streamId} version ${broken.streamVersion}` +
        (broken.globalPosition === null ? '' : `, global position ${broken.globalPosition}, event ${broken.eventId ?? '?'}`),
      `  expected hash ${broken.expectedHash}`,
      `  actual hash   ${broken.actualHash ?? '(no event)'}`,
      `  ${broken.detail}`,
    );
  } else {
    lines.push(`OK: every hash chain holds: ${count(verdict.eventsChecked)} events through position ${verdict.throughPosition}`);
  }
  const check = verdict.anchorCheck;
  if (check) {
    lines.push(
      check.matches
        ? `anchor ${check.position}:${check.expected} matches: the stored hashes through position ${check.position} are the anchored ones` +
            (broken ? '' : ', so the log up to there is unchanged')
        : `ANCHOR MISMATCH at position ${check.position}: expected ${check.expected}, the log has ${check.actual ?? 'no such position any more'}`,
    );
  }
  const anchor = formatAnchor({ position: BigInt(verdict.anchor.position), digest: verdict.anchor.digest });
  lines.push(`anchor: ${anchor}  (keep it outside the database; check it later with verify --anchor ${anchor})`);
  return lines;
}
