import { assertNever } from '@shop/domain';
import type { GroupBy, QueryOf, SalesReport } from '@shop/client';

/** The report the page asks for: every parameter of `GET /api/analytics/sales` given. */
export type SalesQuery = Required<QueryOf<'salesReport'>>;

/** The report form: UTC days as the date inputs give them (`2024-06-01`), both ends included. */
export interface SalesFields {
  from: string;
  to: string;
  groupBy: GroupBy;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** The API answers one report for at most a year (leap day included). */
export const MAX_REPORT_DAYS = 366;

const dayStart = (day: string): Date | null => {
  if (!DAY.test(day)) return null;
  const date = new Date(`${day}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? null : date;
};

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The last 30 UTC days, today included. */
export function defaultSalesFields(now: Date): SalesFields {
  return { from: isoDay(new Date(now.getTime() - 29 * DAY_MS)), to: isoDay(now), groupBy: 'day' };
}

/**
 * The API's query: `from` inclusive and `to` exclusive (ISO date-times), so the form's last day is included by
 * asking up to the start of the day after it.
 */
export function salesQuery(fields: SalesFields): { query: SalesQuery } | { error: string } {
  const from = dayStart(fields.from);
  const to = dayStart(fields.to);
  if (!from || !to) return { error: 'Enter both days as dates.' };
  if (from > to) return { error: 'The first day must not be after the last day.' };
  if ((to.getTime() - from.getTime()) / DAY_MS + 1 > MAX_REPORT_DAYS) return { error: `One report covers at most ${MAX_REPORT_DAYS} days.` };
  return { query: { from: from.toISOString(), to: new Date(to.getTime() + DAY_MS).toISOString(), groupBy: fields.groupBy } };
}

/** The form's days back from a query or a report's range: `to` is exclusive, so the last day shown is the one before it. */
export function daysOf(range: { from: string; to: string }): { fromDay: string; toDay: string } {
  return { fromDay: range.from.slice(0, 10), toDay: isoDay(new Date(Date.parse(range.to) - DAY_MS)) };
}

export interface CurrencyTotal {
  currency: string;
  orders: number;
  units: number;
  revenueCents: number;
}

/** Totals per currency: amounts in different currencies are never added together. */
export function totalsByCurrency(report: SalesReport): CurrencyTotal[] {
  const totals = new Map<string, CurrencyTotal>();
  for (const row of report.items) {
    const total = totals.get(row.currency) ?? { currency: row.currency, orders: 0, units: 0, revenueCents: 0 };
    total.orders += row.orders;
    total.units += row.units;
    total.revenueCents += row.revenueCents;
    totals.set(row.currency, total);
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

export function groupingLabel(groupBy: GroupBy): string {
  switch (groupBy) {
    case 'day':
      return 'By day';
    case 'product':
      return 'By product';
    default:
      return assertNever(groupBy);
  }
}

/** The heading (and CSV file name) of the sales table. */
export function tableTitle(groupBy: GroupBy): string {
  switch (groupBy) {
    case 'day':
      return 'Sales by day';
    case 'product':
      return 'Sales by product';
    default:
      return assertNever(groupBy);
  }
}
