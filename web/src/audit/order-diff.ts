/**
 * The two points of an order's diff, as stream versions: `0` is before the order's first event. The API compares any
 * two points, but an earlier "to" than "from" reads backwards; the page asks for them in order.
 */
export function diffRange(from: number, to: number): { from: string; to: string } | { error: string } {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < 1) return { error: 'Choose two points of the timeline.' };
  if (from >= to) return { error: 'The first point must come before the second.' };
  return { from: String(from), to: String(to) };
}

/** A field's value as the diff shows it: absent as a dash, text as it is, anything else as compact JSON. */
export function shownValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
