import type { Order } from '@shop/client';
import { NumberColumn } from '../components/NumberColumn';
import { TableScroll } from '../components/TableScroll';
import { Time } from '../components/Time';
import { formatCents } from '../money';
import { href } from '../route';
import { OrderActions } from './OrderActions';
import { StatusTag } from './OrderSummary';

/** A list of orders, newest first; with `withActions`, each row offers what the viewer may do to it (ship, refund…). */
export function OrdersTable({ orders, withActions }: { orders: Order[]; withActions: boolean }) {
  return (
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
  );
}
