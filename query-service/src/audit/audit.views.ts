import { assertNever } from '@shop/domain';
import type { AnchorCheck, BrokenLink, BrokenLinkReason, EventMetadata, HashChainVerdict, RecordedEvent } from '@shop/kernel';

/**
 * The JSON shapes of docs/openapi.json's audit schemas, built field by field (allow-listed: a field added to an
 * internal type never leaks). Positions are decimal strings (int8 does not fit a JSON number); versions are numbers.
 */

export interface AuditEventView {
  eventId: string;
  streamId: string;
  streamVersion: number;
  globalPosition: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt: string;
  hash: string;
}

export interface AuditEventPageView {
  items: AuditEventView[];
  nextCursor: string | null;
}

export interface BrokenLinkView {
  reason: BrokenLinkReason;
  streamId: string;
  streamVersion: number;
  globalPosition: string | null;
  eventId: string | null;
  expectedHash: string;
  actualHash: string | null;
  detail: string;
}

export interface VerifyResultView {
  ok: boolean;
  eventsChecked: number;
  throughPosition: string;
  brokenLinks: number;
  firstBroken?: BrokenLinkView;
  anchor: { position: string; digest: string };
  anchorCheck?: { position: string; expected: string; actual: string | null; matches: boolean };
}

const metadataView = ({ correlationId, causationId, actor }: EventMetadata): EventMetadata => ({
  correlationId,
  causationId,
  actor: 'system' in actor ? { system: actor.system } : { userId: actor.userId, role: actor.role },
});

export const toAuditEvent = (event: RecordedEvent): AuditEventView => ({
  eventId: event.eventId,
  streamId: event.streamId,
  streamVersion: Number(event.streamVersion),
  globalPosition: event.globalPosition.toString(),
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: metadataView(event.metadata),
  recordedAt: event.recordedAt.toISOString(),
  hash: event.hash,
});

/**
 * One page from a read of `limit + 1` events: the extra event only says that there is more, and the cursor is
 * then the last event kept (its version in a stream, its position in the global log).
 */
export function toEventPage(events: readonly RecordedEvent[], limit: number, cursorOf: (event: RecordedEvent) => bigint): AuditEventPageView {
  const items = events.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(toAuditEvent), nextCursor: events.length > limit && last ? cursorOf(last).toString() : null };
}

/** A sentence for the auditor: what the link's neighbours say, in the log's own terms. */
export function describeBrokenLink(link: BrokenLink): string {
  const version = link.streamVersion;
  switch (link.reason) {
    case 'position_gap': {
      const from = (link.priorPosition ?? 0n) + 1n;
      const to = (link.globalPosition ?? from) - 1n;
      return `Global position${from === to ? ` ${from} is` : `s ${from}–${to} are`} missing from the log before this event: an event was deleted`;
    }
    case 'duplicate_version':
      return `Another stored event of ${link.streamId} also has version ${version} (at global position ${link.previousPosition ?? '?'})`;
    case 'version_gap':
      return link.previousVersion === null
        ? `${link.streamId} has no stored event before version ${version}: its first events were deleted or this event was renumbered`
        : `The previous stored event of ${link.streamId} is version ${link.previousVersion}, not ${version - 1n}: an event was deleted or renumbered`;
    case 'out_of_order':
      return `Version ${link.previousVersion ?? '?'} of ${link.streamId} sits later in the global log (position ${link.previousPosition ?? '?'}): events were reordered`;
    case 'hash_mismatch':
      return link.previousVersion === null
        ? 'The stored hash is not sha256(32 zero bytes ‖ the event as stored): the event or its hash was edited'
        : `The stored hash is not sha256(hash of version ${link.previousVersion} ‖ the event as stored): the event or its hash was edited`;
    case 'head_mismatch':
      if (link.headVersion === null) return `The log has no stream head for ${link.streamId}: its streams row was deleted`;
      return version > link.headVersion
        ? `The stream head of ${link.streamId} says version ${link.headVersion}: this event is past it (forged onto the chain, or the head was edited)`
        : `The stream head of ${link.streamId} records another last hash than this event's: the head or the event was edited`;
    case 'head_missing':
      return `The stream head of ${link.streamId} says version ${version}, but ${
        link.previousVersion === null ? 'no event of the stream is stored' : `the last stored event is version ${link.previousVersion}`
      }: events were deleted from its end`;
    default:
      return assertNever(link.reason);
  }
}

export const toBrokenLinkView = (link: BrokenLink): BrokenLinkView => ({
  reason: link.reason,
  streamId: link.streamId,
  streamVersion: Number(link.streamVersion),
  globalPosition: link.globalPosition?.toString() ?? null,
  eventId: link.eventId,
  expectedHash: link.expectedHash,
  actualHash: link.actualHash,
  detail: describeBrokenLink(link),
});

const anchorCheckView = (check: AnchorCheck): NonNullable<VerifyResultView['anchorCheck']> => ({
  position: check.position.toString(),
  expected: check.expected,
  actual: check.actual,
  matches: check.matches,
});

export const toVerifyResultView = (verdict: HashChainVerdict): VerifyResultView => ({
  ok: verdict.ok,
  eventsChecked: verdict.eventsChecked,
  throughPosition: verdict.throughPosition.toString(),
  brokenLinks: verdict.brokenLinks,
  ...(verdict.firstBroken ? { firstBroken: toBrokenLinkView(verdict.firstBroken) } : {}),
  anchor: { position: verdict.anchor.position.toString(), digest: verdict.anchor.digest },
  ...(verdict.anchorCheck ? { anchorCheck: anchorCheckView(verdict.anchorCheck) } : {}),
});
