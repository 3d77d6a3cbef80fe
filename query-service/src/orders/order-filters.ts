// The points in time of GET /api/orders' placedFrom / placedTo filters: parsed here, compared in Postgres.
import { z } from 'zod';

const IsoDate = z.iso.date();
const IsoDateTime = z.iso.datetime({ offset: true });
/**
 * A point in time as a query gives it: an ISO 8601 date (its midnight, UTC) or a date-time with `Z` or an offset,
 * answered as a date-time text. A date-time without either is refused: whose midnight it is would be a guess. The
 * text goes to Postgres as it is, never through a Date, which would drop the microseconds orders are placed at.
 */
export const Instant = z
  .string()
  .max(40)
  .refine((text) => IsoDate.safeParse(text).success || IsoDateTime.safeParse(text).success, {
    message: 'expected an ISO 8601 date (2026-12-01) or date-time with Z or an offset (2026-12-01T09:30:00Z)',
    abort: true,
  })
  .transform((text) => (IsoDate.safeParse(text).success ? `${text}T00:00:00Z` : text));

/**
 * Microseconds since the epoch of a date-time `Instant` answered, exactly (a Date alone keeps milliseconds);
 * undefined for anything else (zod may still run an object's refinement over a field it has refused).
 */
export const microsecondsOf = (dateTime: string): bigint | undefined => {
  const milliseconds = Date.parse(dateTime.replace(/\.\d+/, ''));
  if (Number.isNaN(milliseconds)) return undefined;
  const fraction = /\.(\d+)/.exec(dateTime)?.[1] ?? '';
  return BigInt(milliseconds) * 1000n + BigInt(fraction.slice(0, 6).padEnd(6, '0'));
};

/** Whether `from` comes before `to`; true when either is not a date-time (its own field already says what is wrong). */
export const isBefore = (from: string, to: string): boolean => {
  const [start, end] = [microsecondsOf(from), microsecondsOf(to)];
  return start === undefined || end === undefined || start < end;
};
