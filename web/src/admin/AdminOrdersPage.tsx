import { skipToken } from '@reduxjs/toolkit/query/react';
import { ORDER_STATUSES } from '@shop/client';
import { useMemo, type FormEvent } from 'react';
import { LoadMore, pagedList } from '../components/LoadMore';
import { FieldError, RequestState, Status } from '../components/Status';
import { useForm } from '../components/use-form';
import { useListOrdersInfiniteQuery } from '../orders/orders.api';
import { OrdersTable } from '../orders/OrdersTable';
import { navigate, useHash } from '../route';
import { ANY_ORDER, orderFiltersHref, orderFiltersQuery, parseOrderFilters, type OrderFilterFields } from './order-filters';

/**
 * Every order, filtered by status and the days it was placed, with ship / refund / cancel on each row (offered as the
 * domain's `decideOrder` allows, see orders/order-actions.ts). The filters live in the hash, which drives the query;
 * an action invalidates the list, which is read again with the action's Consistency-Token, so the row shows the
 * new status.
 */
export function AdminOrdersPage() {
  const hash = useHash();
  const applied = useMemo(() => parseOrderFilters(hash), [hash]);
  const asked = orderFiltersQuery(applied);
  const query = useListOrdersInfiniteQuery('filters' in asked ? asked.filters : skipToken);
  const { items: orders, empty, more } = pagedList(query);

  return (
    <section className="panel" aria-labelledby="admin-orders-title">
      <h1 id="admin-orders-title">Orders</h1>
      {/* Keyed by the filters applied: back, forward or a link puts them in the form. */}
      <OrderFiltersForm key={orderFiltersHref(applied)} applied={applied} />
      {/* Only a hand-written hash gets here (the form refuses such a range): say why nothing is listed. */}
      {'errors' in asked && <Status message={{ kind: 'error', text: Object.values(asked.errors).join(' ') }} />}
      <RequestState loading={query.isLoading} error={query.error} what="the orders" />
      {empty && (
        <p className="empty" data-testid="orders-empty">
          No orders match these filters.
        </p>
      )}
      {orders.length > 0 && <OrdersTable orders={orders} withActions />}
      <LoadMore {...more} />
    </section>
  );
}

function OrderFiltersForm({ applied }: { applied: OrderFilterFields }) {
  const { fields, setFields, input, describedBy, errorOf, check, formRef } = useForm<OrderFilterFields>(applied);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (check(orderFiltersQuery(fields))) navigate(orderFiltersHref(fields));
  }

  return (
    <form ref={formRef} className="admin-filters" noValidate onSubmit={submit} aria-label="Filter the orders">
      <label>
        Status
        <select
          data-testid="filter-status"
          value={fields.status}
          onChange={(event) => {
            const status = ORDER_STATUSES.find((one) => one === event.target.value) ?? '';
            setFields((current) => ({ ...current, status }));
          }}
        >
          <option value="">Any</option>
          {ORDER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </label>
      <label>
        Placed from
        <input type="date" data-testid="filter-from" {...input('from')} {...describedBy('from')} />
        <FieldError {...errorOf('from')} />
      </label>
      <label>
        Placed to (included)
        <input type="date" data-testid="filter-to" {...input('to')} {...describedBy('to')} />
        <FieldError {...errorOf('to')} />
      </label>
      <div className="admin-filter-buttons">
        <button type="submit" data-testid="filter-apply">
          Show
        </button>
        <button type="button" className="secondary" onClick={() => navigate(orderFiltersHref(ANY_ORDER))}>
          Clear
        </button>
      </div>
    </form>
  );
}
