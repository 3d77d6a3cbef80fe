import { z } from 'zod';

/**
 * The sales read model: written by the projector's `sales` projection (Postgres) and `analytics` projection
 * (Elasticsearch), read by the query service's analytics routes. Tables are defined in 0330-sales.sql beside it, the index in
 * `sales.index.ts`; this module is the one place their shapes are spelled in code.
 *
 * One FACT per order line per payment or refund, with the instant it happened: reports aggregate facts at query
 * time, so any [from, to) range is exact to the millisecond. Facts never change once written, so both stores
 * key them by the event that caused them (event id + line number) and re-applying an event is a no-op.
 *
 * Signs: a payment adds its order's lines, a refund subtracts them on the day of the refund, so `units`,
 * `revenueCents` and `orders` are all NET figures and can be negative for a day (or a product in a range) where
 * refunds of earlier payments outweigh new payments.
 *   - `orders` by day: orders paid that day minus orders refunded that day. Each payment/refund counts once,
 *     through `orderDelta` (its sign on the order's first line, 0 on the others).
 *   - `orders` by product: orders paid with that product minus orders refunded with it, through `sign` (an order
 *     holds a product on one line at most: the domain refuses duplicate lines).
 */
export const SALES_PROJECTION = 'sales';
export const SALES_FACTS_TABLE = 'sales_facts';
/** The lines of every order the projection has seen placed: a payment or a refund carries no lines itself. */
export const SALES_ORDERS_TABLE = 'sales_orders';

export type SalesFactKind = 'payment' | 'refund';

export interface SalesFact {
  /** The OrderPaid / OrderRefunded event the fact comes from, and the line's index in its order. */
  eventId: string;
  lineNo: number;
  orderId: string;
  kind: SalesFactKind;
  /** When the payment or refund happened (its `paidAt` / `refundedAt`), to the millisecond. */
  at: Date;
  /** Global position of the event: the Elasticsearch document's external version. */
  position: bigint;
  currency: string;
  productId: string;
  /** As sold: the order line's sku and name. */
  sku: string;
  name: string;
  sign: 1 | -1;
  orderDelta: -1 | 0 | 1;
  units: number;
  revenueCents: number;
}

/** The lines of a placed order as the sales read model keeps them. */
export const SoldLine = z.object({
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  lineTotalCents: z.number().int(),
});
export type SoldLine = z.infer<typeof SoldLine>;
export const SoldLines = z.array(SoldLine).min(1);

export interface PlacedOrderLines {
  orderId: string;
  currency: string;
  lines: SoldLine[];
}

// ───────────── report shapes (docs/openapi.json SalesByDay, SalesByProduct, SalesReport, …) ─────────────

export const SALES_GROUPINGS = ['day', 'product'] as const;
export type SalesGrouping = (typeof SALES_GROUPINGS)[number];

export const SalesByDay = z.strictObject({
  day: z.iso.date(),
  currency: z.string().length(3),
  orders: z.number().int(),
  units: z.number().int(),
  revenueCents: z.number().int(),
});
export type SalesByDay = z.infer<typeof SalesByDay>;

export const SalesByProduct = z.strictObject({
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  currency: z.string().length(3),
  orders: z.number().int(),
  units: z.number().int(),
  revenueCents: z.number().int(),
});
export type SalesByProduct = z.infer<typeof SalesByProduct>;

/** The half-open instant range [from, to) a report covers. */
export interface SalesRange {
  from: Date;
  to: Date;
}

/** Code-unit order (Postgres' "C" collation), never the locale's: both back-ends must sort alike. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Ascending day, then currency: the order both back-ends answer `groupBy=day` in. */
export const compareSalesByDay = (a: SalesByDay, b: SalesByDay): number => byCodeUnits(a.day, b.day) || byCodeUnits(a.currency, b.currency);

/** Descending revenue, then currency, then product id: the order both back-ends answer `groupBy=product` in. */
export const compareSalesByProduct = (a: SalesByProduct, b: SalesByProduct): number =>
  b.revenueCents - a.revenueCents || byCodeUnits(a.currency, b.currency) || byCodeUnits(a.productId, b.productId);

/**
 * The top `limit` products by net revenue of each currency (revenues in different currencies are never
 * compared), currency by currency in ascending code order. Pure, so both back-ends answer alike.
 */
export function topProductsPerCurrency(byProduct: readonly SalesByProduct[], limit: number): SalesByProduct[] {
  const byCurrency = new Map<string, SalesByProduct[]>();
  for (const row of [...byProduct].sort(compareSalesByProduct)) {
    const rows = byCurrency.get(row.currency) ?? [];
    if (rows.length < limit) rows.push(row);
    byCurrency.set(row.currency, rows);
  }
  return [...byCurrency.keys()].sort(byCodeUnits).flatMap((currency) => byCurrency.get(currency)!);
}
