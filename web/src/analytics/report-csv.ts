import type { SalesReport, TopProductsReport } from '@shop/client';
import { formatAmount } from '../money';
import { toCsv } from './csv';

// The tables of the analytics page as CSV, column for column as the page shows them. Revenue is a plain decimal
// amount beside its currency (`34.90`, `EUR`), which any spreadsheet reads as a number in any locale's settings.

const FIGURES = ['Currency', 'Orders', 'Units', 'Revenue'] as const;

const figures = (row: { currency: string; orders: number; units: number; revenueCents: number }) =>
  [row.currency, row.orders, row.units, formatAmount(row.revenueCents)] as const;

export function salesCsv(report: SalesReport): string {
  return report.groupBy === 'day'
    ? toCsv(['Day', ...FIGURES], report.items.map((row) => [row.day, ...figures(row)]))
    : toCsv(['Product', 'SKU', ...FIGURES], report.items.map((row) => [row.name, row.sku, ...figures(row)]));
}

/** Ranked within each currency, as the API ranks them (revenues in different currencies are never compared). */
export function topProductsCsv(report: TopProductsReport): string {
  const rank = new Map<string, number>();
  return toCsv(
    ['Rank', 'Product', 'SKU', ...FIGURES],
    report.items.map((row) => {
      const place = (rank.get(row.currency) ?? 0) + 1;
      rank.set(row.currency, place);
      return [place, row.name, row.sku, ...figures(row)];
    }),
  );
}
