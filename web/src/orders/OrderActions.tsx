import { useState } from 'react';
import { useViewer } from '../app/viewer';
import { PaymentMethod, type Order } from '@shop/client';
import { Status, type StatusMessage } from '../components/Status';
import { errorMessage, type ApiError } from '../problem';
import { availableActions } from './order-actions';
import { useCancelOrderMutation, usePayOrderMutation, useRefundOrderMutation, useShipOrderMutation } from './orders.api';

const METHOD_LABELS: Record<PaymentMethod, string> = { card: 'Card', invoice: 'Invoice', paypal: 'PayPal' };

/**
 * The transitions this viewer may make on this order now (pay, cancel, ship, refund). Each write stores its
 * Consistency-Token and invalidates the order, so the refetched order already shows the new status.
 */
export function OrderActions({ order, compact = false }: { order: Order; compact?: boolean }) {
  const viewer = useViewer();
  const [pay, paying] = usePayOrderMutation();
  const [cancel, cancelling] = useCancelOrderMutation();
  const [ship, shipping] = useShipOrderMutation();
  const [refund, refunding] = useRefundOrderMutation();
  const [method, setMethod] = useState<PaymentMethod>('card');
  const [status, setStatus] = useState<StatusMessage | null>(null);
  if (viewer === 'guest') return null;
  const actions = availableActions(order, viewer);
  if (actions.length === 0) return null;
  const busy = paying.isLoading || cancelling.isLoading || shipping.isLoading || refunding.isLoading;

  async function run(done: string, write: () => Promise<unknown>) {
    setStatus(null);
    try {
      await write();
      setStatus({ kind: 'ok', text: done });
    } catch (error) {
      setStatus({ kind: 'error', text: errorMessage(error as ApiError) ?? 'That did not work.' });
    }
  }

  return (
    <div className={compact ? 'actions compact' : 'actions'} data-testid="order-actions">
      {actions.includes('pay') && (
        <span className="action-group">
          <label className="inline">
            Pay by
            <select data-testid="pay-method" value={method} onChange={(event) => setMethod(PaymentMethod.parse(event.target.value))}>
              {PaymentMethod.options.map((option) => (
                <option key={option} value={option}>
                  {METHOD_LABELS[option]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="pay" disabled={busy} onClick={() => void run('Paid.', () => pay({ orderId: order.id, method }).unwrap())}>
            {compact ? 'Pay' : 'Pay now'}
          </button>
        </span>
      )}
      {actions.includes('ship') && (
        <button type="button" data-testid="ship" disabled={busy} onClick={() => void run('Shipped.', () => ship(order.id).unwrap())}>
          Ship
        </button>
      )}
      {actions.includes('refund') && (
        <button type="button" className="secondary-inline" data-testid="refund" disabled={busy} onClick={() => void run('Refunded.', () => refund(order.id).unwrap())}>
          Refund
        </button>
      )}
      {actions.includes('cancel') && (
        <button
          type="button"
          className="danger"
          data-testid="cancel"
          disabled={busy}
          onClick={() => {
            if (window.confirm('Cancel this order? Its items go back on sale.')) void run('Cancelled.', () => cancel({ orderId: order.id }).unwrap());
          }}
        >
          Cancel order
        </button>
      )}
      <Status message={status} testId="action-status" />
    </div>
  );
}
