import { useViewer } from '../app/viewer';
import { RequestState } from '../components/Status';
import { LoadMore, pagedList } from '../components/LoadMore';
import { href } from '../route';
import { useListOrdersInfiniteQuery } from './orders.api';
import { OrdersTable } from './OrdersTable';

const ALL_ORDERS = {};

/** A shopper's own orders, or (admin, auditor) every order; newest first. Admins ship and refund from here. */
export function OrdersPage() {
  const viewer = useViewer();
  const query = useListOrdersInfiniteQuery(ALL_ORDERS);
  const { items: orders, empty, more } = pagedList(query);

  return (
    <section className="panel">
      <h1>{viewer === 'shopper' ? 'My orders' : 'All orders'}</h1>
      <RequestState loading={query.isLoading} error={query.error} />
      {empty && (
        <p className="empty" data-testid="orders-empty">
          No orders yet.{viewer === 'shopper' && <> <a href={href.catalog()}>Browse the catalog</a></>}
        </p>
      )}
      {orders.length > 0 && <OrdersTable orders={orders} withActions={viewer === 'admin'} />}
      <LoadMore {...more} />
    </section>
  );
}
