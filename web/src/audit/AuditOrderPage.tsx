import { useState, type FormEvent } from 'react';
import { FieldError, RequestState } from '../components/Status';
import { Time } from '../components/Time';
import { OrderSummary } from '../orders/OrderSummary';
import { href } from '../route';
import { asOfParam, isOrderId, type AsOfKind } from './as-of';
import { useLazyAuditOrderQuery } from './audit.api';

/** An order replayed from its stream up to a time or a stream version (or now). */
export function AuditOrderPage({ id }: { id: string | null }) {
  const [orderId, setOrderId] = useState(id ?? '');
  const [kind, setKind] = useState<AsOfKind>('now');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<{ orderId?: string; asOf?: string }>({});
  const [load, { data, error, isFetching }] = useLazyAuditOrderQuery();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const asOf = asOfParam(kind, value);
    const next = { orderId: isOrderId(orderId) ? undefined : 'Enter an order id (a UUID).', asOf: 'error' in asOf ? asOf.error : undefined };
    setErrors(next);
    if (next.orderId || 'error' in asOf) return;
    void load({ orderId: orderId.trim(), asOf: asOf.asOf });
  }

  return (
    <section className="panel">
      <h1>Order history</h1>
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
        <div data-testid="as-of-result">
          <p>
            Version {data.version}, recorded <Time at={data.recordedAt} /> (asked: <span className="mono">{data.asOf}</span>).{' '}
            <a href={href.auditStream(`order-${data.order.id}`)}>Its events</a>
          </p>
          <OrderSummary order={data.order} />
        </div>
      )}
    </section>
  );
}
