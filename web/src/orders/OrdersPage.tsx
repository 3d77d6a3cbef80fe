import { useViewer } from '../app/viewer';
import { RequestState } from '../components/Status';
import { LoadMore, pagedList } from '../components/LoadMore';
import { Time } from '../components/Time';
import { formatCents } from '../money';
import { href } from '../route';
import { OrderActions } from './OrderActions';
import { useListOrdersInfiniteQuery } from './orders.api';
import { StatusTag } from './OrderSummary';
import { NumberColumn } from '../components/NumberColumn';
import { TableScroll } from '../components/TableScroll';

/** A shopper's own orders, or (admin, auditor) every order; newest first. Admins ship and refund from here. */
export function OrdersPage() {
  const viewer = useViewer();
  const query = useListOrdersInfiniteQuery();
  const { items: orders, empty, more } = pagedList(query);
  const withActions = viewer === 'admin';

  return (
    <section className="panel">
      <h1>{viewer === 'shopper' ? 'My orders' : 'All orders'}</h1>
      <RequestState loading={query.isLoading} error={query.error} />
      {empty && (
        <p className="empty" data-testid="orders-empty">
          No orders yet.{viewer === 'shopper' && <> <a href={href.catalog()}>Browse the catalog</a></>}
        </p>
      )}
      {orders.length > 0 && (
        <TableScroll label="Orders">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Placed</th>
                <th scope="col">Order</th>
                <th scope="col">Items</th>
                <th scope="col">Status</th>
                <NumberColumn>Total</NumberColumn>
                {withActions && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id} data-testid="order-row" data-order-id={order.id}>
                  <td>
                    <Time at={order.placedAt} />
                  </td>
                  <td>
                    <a className="mono" href={href.order(order.id)}>
                      {order.id.slice(0, 8)}
                    </a>
                  </td>
                  <td>{order.lines.map((line) => `${line.quantity} × ${line.name}`).join(', ')}</td>
                  <td>
                    <StatusTag status={order.status} />
                  </td>
                  <td className="num">{formatCents(order.totalCents, order.currency)}</td>
                  {withActions && (
                    <td>
                      <OrderActions order={order} compact />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <LoadMore {...more} />
    </section>
  );
}
