import type { ReactNode } from 'react';
import type { Order } from '@shop/client';
import { Time } from '../components/Time';
import { formatCents } from '../money';
import { href } from '../route';
import { NumberColumn } from '../components/NumberColumn';
import { TableScroll } from '../components/TableScroll';

export function StatusTag({ status }: { status: Order['status'] }) {
  return (
    <span className={`order-status order-status-${status}`} data-testid="order-status">
      {status}
    </span>
  );
}

/** An order as read: its lines as sold, the address, and when each step happened. Shared by the audit views. */
export function OrderSummary({ order }: { order: Order }) {
  const address = order.shippingAddress;
  return (
    <article data-testid="order-detail" className="order">
      <dl>
        <dt>Order</dt>
        <dd className="mono" data-testid="order-id">
          {order.id}
        </dd>
        <dt>Status</dt>
        <dd aria-live="polite">
          <StatusTag status={order.status} />
        </dd>
        <dt>Total</dt>
        <dd data-testid="order-total">{formatCents(order.totalCents, order.currency)}</dd>
        <dt>Placed</dt>
        <dd>
          <Time at={order.placedAt} />
        </dd>
        <Step label="Paid" at={order.paidAt} note={order.paymentMethod && <span className="hint">by {order.paymentMethod}</span>} />
        <Step label="Shipped" at={order.shippedAt} />
        <Step label="Cancelled" at={order.cancelledAt} note={order.cancellationReason && <span className="hint">({order.cancellationReason})</span>} />
        <Step label="Refunded" at={order.refundedAt} />
        <dt>Ship to</dt>
        <dd>
          <address>
            {[address.name, address.line1, address.line2, `${address.postalCode} ${address.city}`, address.country].filter(Boolean).map((line, index) => (
              // Lines can repeat (a redacted address reads `[erased]` several times): keyed by position.
              <span key={index} className="address-line">
                {line}
              </span>
            ))}
          </address>
        </dd>
      </dl>
      <TableScroll label="Order lines">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <NumberColumn>Quantity</NumberColumn>
              <NumberColumn>Unit price</NumberColumn>
              <NumberColumn>Line total</NumberColumn>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.productId} data-testid="order-line">
                <td>
                  <a href={href.product(line.productId)}>{line.name}</a> <span className="mono hint">{line.sku}</span>
                </td>
                <td className="num">{line.quantity}</td>
                <td className="num">{formatCents(line.unitPriceCents, order.currency)}</td>
                <td className="num">{formatCents(line.lineTotalCents, order.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </article>
  );
}

/** A step the order took, with its time (and a note), if it took it. */
function Step({ label, at, note }: { label: string; at: string | null | undefined; note?: ReactNode }) {
  if (!at) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <Time at={at} />
        {note && <> {note}</>}
      </dd>
    </>
  );
}
