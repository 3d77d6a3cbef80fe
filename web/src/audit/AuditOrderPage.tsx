import { useState, type FormEvent } from 'react';
import { LoadMore, pagedList } from '../components/LoadMore';
import { FieldError, RequestState } from '../components/Status';
import { Time } from '../components/Time';
import { OrderSummary } from '../orders/OrderSummary';
import { href, navigate } from '../route';
import { asOfParam, isOrderId, type AsOfKind } from './as-of';
import { useAuditStreamInfiniteQuery, useLazyAuditOrderQuery } from './audit.api';
import { OrderDiff } from './OrderDiff';
import { OrderTimeline } from './OrderTimeline';

/**
 * An order's history: its events one by one (the timeline), the order as it was at any point (after an event of the
 * timeline, or at a time or version typed in), and what changed between two points of the timeline.
 */
export function AuditOrderPage({ id }: { id: string | null }) {
  const [orderId, setOrderId] = useState(id ?? '');
  const [kind, setKind] = useState<AsOfKind>('now');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<{ orderId?: string; asOf?: string }>({});
  const [load, { data, error, isFetching }] = useLazyAuditOrderQuery();
  const shownOrder = id !== null && isOrderId(id) ? id : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const asOf = asOfParam(kind, value);
    const next = { orderId: isOrderId(orderId) ? undefined : 'Enter an order id (a UUID).', asOf: 'error' in asOf ? asOf.error : undefined };
    setErrors(next);
    if (next.orderId || 'error' in asOf) return;
    // Another order's id: open its page, so its timeline shows as well.
    if (orderId.trim() !== id) navigate(href.auditOrder(orderId.trim()));
    void load({ orderId: orderId.trim(), asOf: asOf.asOf });
  }

  /** From the timeline: the order right after the event at `version`, the form showing the same choice. */
  function showVersion(version: number) {
    if (!shownOrder) return;
    setKind('version');
    setValue(String(version));
    setErrors({});
    void load({ orderId: shownOrder, asOf: String(version) });
  }

  return (
    <section className="panel wide-panel">
      <h1>Order history</h1>
      {shownOrder && <History orderId={shownOrder} shownVersion={data?.version} onShowState={showVersion} />}
      <h2>The order at a point</h2>
      <form className="grid" noValidate onSubmit={submit} aria-label="Order as of">
        <label className="wide">
          Order id
          <input data-testid="as-of-order" className="mono" value={orderId} aria-invalid={errors.orderId ? true : undefined} onChange={(e) => setOrderId(e.target.value)} />
          <FieldError text={errors.orderId} />
        </label>
        <fieldset className="wide">
          <legend>As of</legend>
          {(['now', 'time', 'version'] as const).map((option) => (
            <label key={option} className="inline">
              <input type="radio" name="as-of-kind" value={option} checked={kind === option} onChange={() => setKind(option)} data-testid={`as-of-kind-${option}`} />
              {option === 'now' ? 'Now' : option === 'time' ? 'A time' : 'A version'}
            </label>
          ))}
          {kind === 'time' && (
            <input type="datetime-local" step={1} aria-label="Time (your local time)" data-testid="as-of-time" value={value} onChange={(e) => setValue(e.target.value)} />
          )}
          {kind === 'version' && <input inputMode="numeric" aria-label="Stream version" data-testid="as-of-version" value={value} onChange={(e) => setValue(e.target.value)} />}
          <FieldError text={errors.asOf} />
        </fieldset>
        <div className="wide">
          <button type="submit" data-testid="as-of-submit" disabled={isFetching}>
            Show the order
          </button>
        </div>
      </form>
      <RequestState loading={isFetching} error={error} what="the history" />
      {data && !isFetching && (
        <div data-testid="as-of-result" role="region" aria-label={`The order at version ${data.version}`}>
          <p>
            Version {data.version}, recorded <Time at={data.recordedAt} /> (asked: <span className="mono">{data.asOf}</span>).{' '}
            <a href={href.auditStream(`order-${data.order.id}`)}>Its events with their hashes</a>
          </p>
          <OrderSummary order={data.order} />
        </div>
      )}
    </section>
  );
}

/** The order's stream read once for both the timeline and the diff's points (an order has a handful of events). */
function History({ orderId, shownVersion, onShowState }: { orderId: string; shownVersion: number | undefined; onShowState: (version: number) => void }) {
  const query = useAuditStreamInfiniteQuery(`order-${orderId}`, { refetchOnMountOrArgChange: true });
  const { items: events, empty, more } = pagedList(query);
  return (
    <>
      <h2>Timeline</h2>
      <RequestState loading={query.isLoading} error={query.error} what="the timeline" />
      {empty && <p className="empty">No events for this order: is the id right?</p>}
      {events.length > 0 && <OrderTimeline events={events} shownVersion={shownVersion} onShowState={onShowState} />}
      <LoadMore {...more} />
      {events.length > 0 && (
        <>
          <h2>Changes between two points</h2>
          {/* Keyed by the newest version: a longer timeline (Load more) offers its last event as the default "to". */}
          <OrderDiff key={events.at(-1)?.streamVersion} orderId={orderId} events={events} />
        </>
      )}
    </>
  );
}
