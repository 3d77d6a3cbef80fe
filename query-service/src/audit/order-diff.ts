import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { RecordedEvent } from '@shop/kernel';
import { AsOfText, describeAsOf, eventsAsOf, replayOrderAsOf, type AsOf } from './order-as-of.js';

/**
 * An order's diff between two points of its history (`GET /api/audit/orders/:id/diff?from=&to=`): each field whose
 * value differs, with its value at each point and the event that gave it the later value. Pure: the stream's events
 * in, the answer out. Views come from replayOrderAsOf, so the diff shows exactly what the as-of reads show.
 */

/** `from` also takes 0: before the order's first event (every field is then new). Its default. */
export const DiffFromText = z.union([z.literal('0').transform((): AsOf => ({ kind: 'version', version: 0n })), AsOfText]);

export interface DiffPointView {
  /** The point as asked: the instant in UTC, the version, or the time of the read. */
  asOf: string;
  /** The stream version the order had at that point; 0 when it did not exist yet. */
  version: number;
  /** When that version was recorded; null for version 0. */
  recordedAt: string | null;
}

export interface ChangingEventView {
  eventId: string;
  type: string;
  streamVersion: number;
  globalPosition: string;
  recordedAt: string;
}

export interface FieldChangeView {
  /** A field of Order; a dotted path where both points have an object there (`shippingAddress.city`). */
  field: string;
  /** null where the order did not exist yet. */
  oldValue: unknown;
  newValue: unknown;
  /** The last event in the range that changed the field, i.e. the one that set `newValue`. */
  event: ChangingEventView;
}

export interface OrderDiffView {
  orderId: string;
  from: DiffPointView;
  to: DiffPointView;
  changes: FieldChangeView[];
}

export type OrderDiffAnswer =
  | { kind: 'diff'; diff: OrderDiffView }
  /** The order did not exist at `to`. */
  | { kind: 'not_found' }
  /** `from` lies after `to` in the stream. */
  | { kind: 'reversed'; fromVersion: number; toVersion: number };

type Path = readonly string[];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The paths at which two values differ. Objects present on both sides are compared field by field (so a changed
 * city is `shippingAddress.city`, not the whole address); anything else (arrays such as `lines`, scalars, an object
 * against null) is one value. `version` is left out: every event changes it, and the points carry it.
 */
export function changedPaths(before: unknown, after: unknown, path: Path = []): Path[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((key) => !(key in after))];
    return keys.filter((key) => !(path.length === 0 && key === 'version')).flatMap((key) => changedPaths(before[key], after[key], [...path, key]));
  }
  // Absent and null are one value on the wire (an order not placed yet has no payment method either way).
  return isDeepStrictEqual(before ?? null, after ?? null) ? [] : [path];
}

const valueAt = (value: unknown, path: Path): unknown => {
  let at = value;
  for (const key of path) at = isObject(at) ? at[key] : undefined;
  // A field absent at a point (no order yet, or not set) reads as null on the wire.
  return at === undefined ? null : at;
};

const changingEvent = (event: RecordedEvent): ChangingEventView => ({
  eventId: event.eventId,
  type: event.type,
  streamVersion: Number(event.streamVersion),
  globalPosition: event.globalPosition.toString(),
  recordedAt: event.recordedAt.toISOString(),
});

/**
 * The diff of an order stream's events (in version order) between `from` and `to`. Each point is the prefix of the
 * stream that as-of reads use; a field changed and changed back within the range is not a change between the points.
 */
export function diffOrder(events: readonly RecordedEvent[], from: AsOf, to: AsOf, now: Date): OrderDiffAnswer {
  const fromCount = eventsAsOf(events, from).length;
  const toCount = eventsAsOf(events, to).length;
  // The order's view after each of the first `count` events; undefined before the first (or if it never was placed).
  // Order streams hold a handful of events, so replaying each prefix costs nothing and reuses the as-of replay.
  const viewAfter = (count: number) => (count === 0 ? undefined : replayOrderAsOf(events.slice(0, count), { kind: 'now' }, now));
  const newer = viewAfter(toCount);
  if (!newer) return { kind: 'not_found' };
  const older = viewAfter(fromCount);
  const point = (asOf: AsOf, count: number): DiffPointView => {
    const last = count === 0 ? undefined : events[count - 1];
    return { asOf: describeAsOf(asOf, now), version: last ? Number(last.streamVersion) : 0, recordedAt: last ? last.recordedAt.toISOString() : null };
  };
  const fromPoint = point(from, fromCount);
  const toPoint = point(to, toCount);
  if (fromCount > toCount) return { kind: 'reversed', fromVersion: fromPoint.version, toVersion: toPoint.version };

  // Every intermediate view, to find for each changed field the last event that moved it.
  const views: unknown[] = [older?.order];
  for (let count = fromCount + 1; count <= toCount; count++) views.push(viewAfter(count)?.order);
  const changes = changedPaths(older?.order ?? {}, newer.order).map((path): FieldChangeView => {
    let step = views.length - 1;
    // Stops at 1 at the latest: the values at the two points differ, so some step between them changed it.
    while (step > 1 && isDeepStrictEqual(valueAt(views[step - 1], path), valueAt(views[step], path))) step--;
    return {
      field: path.join('.'),
      oldValue: valueAt(older?.order, path),
      newValue: valueAt(newer.order, path),
      event: changingEvent(events[fromCount + step - 1]!),
    };
  });
  return { kind: 'diff', diff: { orderId: newer.order.id, from: fromPoint, to: toPoint, changes } };
}
