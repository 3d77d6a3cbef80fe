import { useViewer } from '../app/viewer';
import { BackLink, RequestState } from '../components/Status';
import { usePageVisible } from '../components/use-page-visible';
import { href } from '../route';
import { useAppSelector } from '../store';
import { mayStillChange } from './order-actions';
import { OrderActions } from './OrderActions';
import { ordersApi, useGetOrderQuery } from './orders.api';
import { OrderSummary } from './OrderSummary';

/** How often an open order page asks for the order again: soon enough that a shipment shows within seconds. */
export const ORDER_POLL_MS = 2_000;

/**
 * One order, following the read model: while the order may still change and the page is visible, it is read again
 * every ORDER_POLL_MS (each read carries the session's Consistency-Token, like every read), so a payment, a shipment
 * or a refund made anywhere shows without a reload. A final order, or a hidden tab, is not polled.
 */
export function OrderPage({ id }: { id: string }) {
  const viewer = useViewer();
  const visible = usePageVisible();
  // What the cache holds so far decides whether to keep asking (the hook's own answer comes after its options).
  const known = useAppSelector((state) => ordersApi.endpoints.getOrder.select(id)(state).data);
  const following = visible && (known === undefined || mayStillChange(known));
  const { data: order, error, isLoading } = useGetOrderQuery(id, { pollingInterval: following ? ORDER_POLL_MS : 0 });

  return (
    <section className="panel">
      {/* The admin came from their own orders page (filters, actions), everyone else from the plain list. */}
      <BackLink to={viewer === 'admin' ? href.adminOrders() : href.orders()}>{viewer === 'shopper' ? 'My orders' : 'Orders'}</BackLink>
      <h1>Order</h1>
      <RequestState loading={isLoading} error={error} what="the order" />
      {order && (
        <>
          <OrderSummary order={order} />
          <p className="hint" data-testid="order-live">
            {mayStillChange(order) ? 'This page shows each change of the order as it happens.' : 'This order is final.'}
          </p>
          <OrderActions order={order} />
          {viewer === 'auditor' && (
            <p>
              <a href={href.auditOrder(order.id)}>Its history</a>
            </p>
          )}
        </>
      )}
    </section>
  );
}
