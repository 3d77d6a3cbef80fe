import type { SalesByDay, SalesByProduct } from '@shop/client';
import { formatCents } from '../money';

/** One chart's bars: a label and an amount (integer cents) each, all in one currency. */
export interface ChartSeries {
  currency: string;
  labels: string[];
  cents: number[];
}

const DAY_MS = 86_400_000;

/** Every UTC day from `fromDay` to `toDay`, both included (`2026-11-01`…). */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  const last = Date.parse(`${toDay}T00:00:00.000Z`);
  for (let at = Date.parse(`${fromDay}T00:00:00.000Z`); at <= last; at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/**
 * Revenue by day, one series per currency (amounts in different currencies are never put on one axis). Every day of
 * the range gets a bar, a day without sales a zero one: the API leaves such days out, and a chart that skipped them
 * would draw a quiet week as if it were not there.
 */
export function revenueByDay(rows: readonly SalesByDay[], fromDay: string, toDay: string): ChartSeries[] {
  const days = daysBetween(fromDay, toDay);
  const byCurrency = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const revenue = byCurrency.get(row.currency) ?? new Map<string, number>();
    revenue.set(row.day, (revenue.get(row.day) ?? 0) + row.revenueCents);
    byCurrency.set(row.currency, revenue);
  }
  return [...byCurrency.keys()].sort().map((currency) => {
    const revenue = byCurrency.get(currency) ?? new Map<string, number>();
    return { currency, labels: days, cents: days.map((day) => revenue.get(day) ?? 0) };
  });
}

/** The top products of each currency, in the API's order (descending revenue). */
export function topProductsByCurrency(rows: readonly SalesByProduct[]): ChartSeries[] {
  const series = new Map<string, ChartSeries>();
  for (const row of rows) {
    const one = series.get(row.currency) ?? { currency: row.currency, labels: [], cents: [] };
    one.labels.push(row.name);
    one.cents.push(row.revenueCents);
    series.set(row.currency, one);
  }
  return [...series.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/**
 * What a screen reader hears instead of the canvas: what is drawn, how many bars, the highest and the lowest and the
 * total. The table beside the chart holds every figure.
 */
export function chartSummary(title: string, series: ChartSeries): string {
  const { currency, labels, cents } = series;
  if (cents.length === 0) return `${title} in ${currency}: no data.`;
  let high = 0;
  let low = 0;
  cents.forEach((value, index) => {
    if (value > (cents[high] ?? 0)) high = index;
    if (value < (cents[low] ?? 0)) low = index;
  });
  const money = (value: number | undefined) => formatCents(value ?? 0, currency, 'en');
  const total = cents.reduce((sum, value) => sum + value, 0);
  return (
    `${title} in ${currency}, ${labels.length} bars from ${labels[0]} to ${labels.at(-1)}: ` +
    `highest ${money(cents[high])} (${labels[high]}), lowest ${money(cents[low])} (${labels[low]}), total ${money(total)}.`
  );
}
