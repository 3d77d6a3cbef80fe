import { useViewer } from '../app/viewer';
import { BackLink, RequestState } from '../components/Status';
import { href } from '../route';
import { OrderActions } from './OrderActions';
import { useGetOrderQuery } from './orders.api';
import { OrderSummary } from './OrderSummary';

export function OrderPage({ id }: { id: string }) {
  const viewer = useViewer();
  const { data: order, error, isLoading } = useGetOrderQuery(id);

  return (
    <section className="panel">
      <BackLink to={href.orders()}>{viewer === 'shopper' ? 'My orders' : 'Orders'}</BackLink>
      <h1>Order</h1>
      <RequestState loading={isLoading} error={error} what="the order" />
      {order && (
        <>
          <OrderSummary order={order} />
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
