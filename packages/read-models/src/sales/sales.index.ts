import { z } from 'zod';
import type { SalesFact } from './sales.read-model.js';

/**
 * The Elasticsearch side of the sales read model: one document per sales fact, written by the projector's
 * `analytics` projection and aggregated by the query service. Plain data (no client types), so both sides share it.
 */
export const ANALYTICS_PROJECTION = 'analytics';
/** The placed orders' lines the analytics projection remembers (Postgres, beside its checkpoint). */
export const ANALYTICS_ORDERS_TABLE = 'analytics_orders';
export const DEFAULT_SALES_INDEX = 'shop-sales';

/** A fact as indexed. `at` is an ISO instant with milliseconds; `position` is also the external version. */
export const SalesFactDocument = z.strictObject({
  orderId: z.uuid(),
  eventId: z.uuid(),
  lineNo: z.number().int().min(0),
  kind: z.enum(['payment', 'refund']),
  at: z.iso.datetime(),
  position: z.number().int().positive(),
  currency: z.string().length(3),
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  sign: z.union([z.literal(1), z.literal(-1)]),
  orderDelta: z.union([z.literal(1), z.literal(0), z.literal(-1)]),
  units: z.number().int(),
  revenueCents: z.number().int(),
});
export type SalesFactDocument = z.infer<typeof SalesFactDocument>;

/** The document id: the fact's identity (the event that caused it and the line), stable across replays. */
export const salesFactDocumentId = (fact: Pick<SalesFact, 'eventId' | 'lineNo'>): string => `${fact.eventId}:${fact.lineNo}`;

export const toSalesFactDocument = (fact: SalesFact): SalesFactDocument => ({
  orderId: fact.orderId,
  eventId: fact.eventId,
  lineNo: fact.lineNo,
  kind: fact.kind,
  at: fact.at.toISOString(),
  position: Number(fact.position),
  currency: fact.currency,
  productId: fact.productId,
  sku: fact.sku,
  name: fact.name,
  sign: fact.sign,
  orderDelta: fact.orderDelta,
  units: fact.units,
  revenueCents: fact.revenueCents,
});

/**
 * The index template, put at every projector start (PUT replaces: idempotent). Strict mapping: a document with
 * an unknown field is refused, never silently mapped. One primary shard: a bulk sent with `refresh=wait_for`
 * then makes every earlier bulk of its batch visible too (refreshes are per shard), which is what lets the
 * committed checkpoint mean "searchable". Analytics at this shop's scale fits one shard comfortably.
 */
export function salesIndexTemplate(index: string) {
  return {
    name: `${index}-template`,
    index_patterns: [index],
    priority: 500,
    template: {
      settings: { number_of_shards: 1, refresh_interval: '1s' },
      mappings: {
        dynamic: 'strict' as const,
        properties: {
          orderId: { type: 'keyword' as const },
          eventId: { type: 'keyword' as const },
          lineNo: { type: 'integer' as const },
          kind: { type: 'keyword' as const },
          at: { type: 'date' as const, format: 'strict_date_optional_time' },
          position: { type: 'long' as const },
          currency: { type: 'keyword' as const },
          productId: { type: 'keyword' as const },
          sku: { type: 'keyword' as const },
          name: { type: 'keyword' as const },
          sign: { type: 'integer' as const },
          orderDelta: { type: 'integer' as const },
          units: { type: 'long' as const },
          revenueCents: { type: 'long' as const },
        },
      },
    },
  };
}
