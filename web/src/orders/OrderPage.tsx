import { useViewer } from '../app/viewer';
import { ErrorStatus, Loading } from '../components/Status';
import { href } from '../route';
import { OrderActions } from './OrderActions';
import { useGetOrderQuery } from './orders.api';
import { OrderSummary } from './OrderSummary';

export function OrderPage({ id }: { id: string }) {
  const viewer = useViewer();
  const { data: order, error, isLoading } = useGetOrderQuery(id);

  return (
    <section className="panel">
      <p>
        <a href={href.orders()}>← {viewer === 'shopper' ? 'My orders' : 'Orders'}</a>
      </p>
      <h1>Order</h1>
      {isLoading && <Loading what="the order" />}
      <ErrorStatus error={error} />
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
