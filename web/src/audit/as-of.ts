import { assertNever } from '@shop/domain';

export type AsOfKind = 'now' | 'time' | 'version';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = /^[1-9]\d{0,17}$/;

/**
 * The `asOf` parameter: nothing (the order now), an ISO 8601 instant, or a stream version. A time comes from a
 * `datetime-local` input, which has no zone: it is the viewer's local time, sent as UTC so the server cannot
 * read it in another zone.
 */
export function asOfParam(kind: AsOfKind, value: string): { asOf: string | undefined } | { error: string } {
  const text = value.trim();
  switch (kind) {
    case 'now':
      return { asOf: undefined };
    case 'time': {
      const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text) ? new Date(text) : null;
      return time && !Number.isNaN(time.getTime()) ? { asOf: time.toISOString() } : { error: 'Enter a date and time.' };
    }
    case 'version':
      return VERSION.test(text) ? { asOf: text } : { error: 'Enter a stream version: a whole number, 1 or more.' };
    default:
      return assertNever(kind);
  }
}

export const isOrderId = (text: string): boolean => UUID.test(text.trim());

/** The order id of an `order-<uuid>` stream, for links from the log to the order's history. */
export function orderIdOfStream(streamId: string): string | null {
  const id = /^order-(.+)$/.exec(streamId)?.[1];
  return id && UUID.test(id) ? id : null;
}

/** `order-e50ac446…`: enough to tell streams apart in a table; the full id is the link's title. */
export const shortStream = (streamId: string): string => {
  const match = /^([a-z]+)-([0-9a-f]{8})-[0-9a-f-]{27}$/.exec(streamId);
  return match ? `${match[1]}-${match[2]}…` : streamId;
};
