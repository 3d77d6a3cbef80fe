import { ORDER_STATUSES, type OrderStatus } from '@shop/client';
import type { OrderFilters } from '../orders/orders.api';
import { href } from '../route';

/**
 * The admin's order filters as the form holds them, and as the location's hash keeps them
 * (`#/admin/orders?status=paid&from=2026-12-01&to=2026-12-03`), so a reload or a shared link shows the same list.
 * `from` and `to` are calendar days (UTC, as the API reads a bare date), both included; '' is "any".
 */
export interface OrderFilterFields {
  status: OrderStatus | '';
  from: string;
  to: string;
}

export const ANY_ORDER: OrderFilterFields = { status: '', from: '', to: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (what `<input type="date">` gives), as a Date at 00:00 UTC; else null. */
function dayOf(text: string): Date | null {
  if (!DAY.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) ? date : null;
}

const isStatus = (value: string | null): value is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(value ?? '');

/** The filters in a hash; an unknown status or a malformed day is dropped (the list shows more, never an error). */
export function parseOrderFilters(hash: string): OrderFilterFields {
  const params = new URLSearchParams(hash.split('?', 2)[1] ?? '');
  const status = params.get('status');
  const day = (name: string) => {
    const text = params.get(name) ?? '';
    return dayOf(text) ? text : '';
  };
  return { status: isStatus(status) ? status : '', from: day('from'), to: day('to') };
}

/** The hash that shows these filters (only those set). */
export function orderFiltersHref(fields: OrderFilterFields): string {
  const params = new URLSearchParams();
  for (const name of ['status', 'from', 'to'] as const) if (fields[name]) params.set(name, fields[name]);
  return href.adminOrders(params.toString());
}

/**
 * What to ask the API for: its `placedTo` is exclusive, so the last day the admin wants is sent as the day after it.
 * A range that ends before it starts is the admin's mistake, said beside the field rather than sent.
 */
export function orderFiltersQuery(fields: OrderFilterFields): { filters: OrderFilters } | { errors: Partial<Record<keyof OrderFilterFields, string>> } {
  const from = fields.from ? dayOf(fields.from) : null;
  const to = fields.to ? dayOf(fields.to) : null;
  if (fields.from && !from) return { errors: { from: 'Enter a day as YYYY-MM-DD.' } };
  if (fields.to && !to) return { errors: { to: 'Enter a day as YYYY-MM-DD.' } };
  if (from && to && to < from) return { errors: { to: 'The last day cannot be before the first.' } };
  const filters: OrderFilters = {};
  if (fields.status) filters.status = fields.status;
  if (from) filters.placedFrom = fields.from;
  if (to) filters.placedTo = new Date(to.getTime() + 86_400_000).toISOString().slice(0, 10);
  return { filters };
}
