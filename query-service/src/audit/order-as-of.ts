import { z } from 'zod';
import {
  assertNever,
  evolveOrder,
  initialOrderState,
  OrderEvent,
  type Currency,
  type OrderLine,
  type OrderState,
  type OrderStatus,
  type PaymentMethod,
  type ShippingAddress,
} from '@shop/domain';
import type { RecordedEvent } from '@shop/kernel';

/** Where to stop replaying an order: a point in time, a stream version, or nowhere (the order as it is now). */
export type AsOf = { kind: 'time'; at: Date } | { kind: 'version'; version: bigint } | { kind: 'now' };

const VERSION = /^[1-9][0-9]{0,17}$/;
const IsoTime = z.iso.datetime({ offset: true });

/** `asOf` of the query string: a positive stream version, or an ISO 8601 date-time with a zone (Z or an offset). */
export const AsOfText = z.string().transform((text, context): AsOf => {
  if (VERSION.test(text)) return { kind: 'version', version: BigInt(text) };
  const at = IsoTime.safeParse(text).success ? new Date(text) : undefined;
  if (at && !Number.isNaN(at.getTime())) return { kind: 'time', at };
  context.addIssue({ code: 'custom', message: 'asOf is neither an ISO 8601 date-time with a zone nor a stream version (a positive integer)' });
  return z.NEVER;
});

/** The `Order` of docs/openapi.json: every field named here, nothing else leaks. */
export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  lines: OrderLine[];
  currency: Currency;
  totalCents: number;
  shippingAddress: ShippingAddress;
  placedAt: string;
  paymentMethod: PaymentMethod | null;
  paidAt: string | null;
  shippedAt: string | null;
  cancelledAt: string | null;
  cancellationReason: string | null;
  refundedAt: string | null;
  version: number;
}

/** `AuditOrder` of docs/openapi.json. */
export interface AuditOrderView {
  asOf: string;
  version: number;
  recordedAt: string;
  order: OrderView;
}

/** When and how each transition happened, as the order's fields of the same names show it. */
type Transitions = Pick<OrderView, 'paymentMethod' | 'paidAt' | 'shippedAt' | 'cancelledAt' | 'cancellationReason' | 'refundedAt'>;

/**
 * The order's history as the audit tells it: the domain's own state (evolveOrder decides status and contents, so
 * the audit can never disagree with what the command side decided on) plus its transitions, which the domain state
 * does not keep.
 */
interface OrderHistory extends Transitions {
  state: OrderState;
}

const initialHistory: OrderHistory = {
  state: initialOrderState,
  paymentMethod: null,
  paidAt: null,
  shippedAt: null,
  cancelledAt: null,
  cancellationReason: null,
  refundedAt: null,
};

export function evolveOrderHistory(history: OrderHistory, event: OrderEvent): OrderHistory {
  const state = evolveOrder(history.state, event);
  switch (event.type) {
    case 'OrderPlaced':
      return { ...history, state };
    case 'OrderPaid':
      return { ...history, state, paymentMethod: event.data.method, paidAt: event.data.paidAt };
    case 'OrderShipped':
      return { ...history, state, shippedAt: event.data.shippedAt };
    case 'OrderCancelled':
      return { ...history, state, cancelledAt: event.data.cancelledAt, cancellationReason: event.data.reason ?? null };
    case 'OrderRefunded':
      return { ...history, state, refundedAt: event.data.refundedAt };
    default:
      return assertNever(event);
  }
}

/**
 * The events of an order stream (in version order) that the order consisted of at `asOf`: the longest prefix
 * recorded at or before the time (at the millisecond precision the API shows times in), or up to and including
 * the version. A prefix, not a filter: the state at a point is always the state at some version.
 */
export function eventsAsOf(events: readonly RecordedEvent[], asOf: AsOf): RecordedEvent[] {
  const within = (event: RecordedEvent): boolean => {
    switch (asOf.kind) {
      case 'time':
        return event.recordedAt.getTime() <= asOf.at.getTime();
      case 'version':
        return event.streamVersion <= asOf.version;
      case 'now':
        return true;
      default:
        return assertNever(asOf);
    }
  };
  const end = events.findIndex((event) => !within(event));
  return end === -1 ? [...events] : events.slice(0, end);
}

/** How an answer names its `asOf`: the instant (normalised to UTC), the version, or the time of the read. */
export const describeAsOf = (asOf: AsOf, now: Date): string => {
  switch (asOf.kind) {
    case 'time':
      return asOf.at.toISOString();
    case 'version':
      return asOf.version.toString();
    case 'now':
      return now.toISOString();
    default:
      return assertNever(asOf);
  }
};

/**
 * Replays an order's stream up to `asOf` with the domain's evolveOrder. Undefined when the order did not exist
 * (yet) at that point. Events are parsed by the domain's schemas: a stream that does not parse or fold is corrupt,
 * and that throws rather than answering a made-up order.
 */
export function replayOrderAsOf(events: readonly RecordedEvent[], asOf: AsOf, now: Date): AuditOrderView | undefined {
  const replayed = eventsAsOf(events, asOf);
  const last = replayed.at(-1);
  if (!last) return undefined;
  const history = replayed.reduce((h, event) => evolveOrderHistory(h, OrderEvent.parse({ type: event.type, data: event.data })), initialHistory);
  const { state, ...transitions } = history;
  if (state.status === 'absent') return undefined;
  const version = Number(last.streamVersion);
  return {
    asOf: describeAsOf(asOf, now),
    version,
    recordedAt: last.recordedAt.toISOString(),
    order: {
      id: state.orderId,
      customerId: state.customerId,
      status: state.status,
      lines: state.lines,
      currency: state.currency,
      totalCents: state.totalCents,
      shippingAddress: state.shippingAddress,
      placedAt: state.placedAt,
      ...transitions,
      version,
    },
  };
}
