import { errors, type Client } from '@elastic/elasticsearch';
import { z } from 'zod';
import {
  ANALYTICS_PROJECTION,
  compareSalesByDay,
  compareSalesByProduct,
  type SalesByDay,
  type SalesByProduct,
  type SalesRange,
} from '@shop/read-models';
import { ProblemError } from '@shop/service-kit';
import type { SalesReportSource } from './sales-report.port.js';

/** Buckets per composite page: every bucket is read (pages until none is left), so the answer is exact. */
const PAGE_SIZE = 1_000;

const Sum = z.object({ value: z.number() });
const DayBucket = z.object({
  key: z.object({ day: z.string(), currency: z.string() }),
  orders: Sum,
  units: Sum,
  revenueCents: Sum,
});
const ProductBucket = z.object({
  key: z.object({ productId: z.string(), currency: z.string() }),
  orders: Sum,
  units: Sum,
  revenueCents: Sum,
  latest: z.object({ hits: z.object({ hits: z.array(z.object({ _source: z.object({ sku: z.string(), name: z.string() }) })).min(1) }) }),
});
/** Parse, don't trust: an aggregation answer is an edge too. */
const compositePage = <B extends z.ZodType>(bucket: B) =>
  z.object({
    aggregations: z
      .object({ rows: z.object({ buckets: z.array(bucket), after_key: z.record(z.string(), z.unknown()).optional() }) })
      .optional(),
  });

const sums = (field: { orders: string }) => ({
  orders: { sum: { field: field.orders } },
  units: { sum: { field: 'units' } },
  revenueCents: { sum: { field: 'revenueCents' } },
});

/**
 * Reports from the Elasticsearch analytics projection. Composite aggregations, paged to the end, so every
 * (day, currency) or (product, currency) bucket is exact; sums of integer cents stay exact below 2^53 (ES sums
 * in doubles). `orders` sums `orderDelta` by day and `sign` by product, exactly as the SQL read model does.
 */
export class ElasticsearchSalesReport implements SalesReportSource {
  readonly projection = ANALYTICS_PROJECTION;
  readonly backend = 'elasticsearch' as const;

  constructor(
    private readonly client: Client,
    private readonly index: string,
  ) {}

  async salesByDay(range: SalesRange): Promise<SalesByDay[]> {
    const buckets = await this.allBuckets(
      range,
      [
        { day: { date_histogram: { field: 'at', calendar_interval: '1d', time_zone: 'UTC', format: 'yyyy-MM-dd' } } },
        { currency: { terms: { field: 'currency' } } },
      ],
      sums({ orders: 'orderDelta' }),
      DayBucket,
    );
    return buckets
      .map((b) => ({ day: b.key.day, currency: b.key.currency, orders: b.orders.value, units: b.units.value, revenueCents: b.revenueCents.value }))
      .sort(compareSalesByDay);
  }

  async salesByProduct(range: SalesRange): Promise<SalesByProduct[]> {
    const buckets = await this.allBuckets(
      range,
      [{ productId: { terms: { field: 'productId' } } }, { currency: { terms: { field: 'currency' } } }],
      {
        ...sums({ orders: 'sign' }),
        // As sold most recently in the range, with the same tie-breaks as the SQL read model.
        latest: { top_hits: { size: 1, sort: [{ at: 'desc' }, { position: 'desc' }, { lineNo: 'desc' }], _source: { includes: ['sku', 'name'] } } },
      },
      ProductBucket,
    );
    return buckets
      .map((b) => {
        const { sku, name } = b.latest.hits.hits[0]!._source;
        return { productId: b.key.productId, sku, name, currency: b.key.currency, orders: b.orders.value, units: b.units.value, revenueCents: b.revenueCents.value };
      })
      .sort(compareSalesByProduct);
  }

  private async allBuckets<B extends z.ZodType>(range: SalesRange, sources: object[], aggs: object, bucket: B): Promise<Array<z.infer<B>>> {
    const all: Array<z.infer<B>> = [];
    const page = compositePage(bucket);
    for (let after: Record<string, unknown> | undefined; ; ) {
      const response = await this.search({
        index: this.index,
        size: 0,
        track_total_hits: false,
        // The projector creates the index at start: until then there are simply no sales.
        ignore_unavailable: true,
        query: { range: { at: { gte: range.from.toISOString(), lt: range.to.toISOString() } } },
        aggs: { rows: { composite: { size: PAGE_SIZE, sources, ...(after ? { after } : {}) }, aggs } },
      });
      const rows = page.parse(response).aggregations?.rows;
      if (!rows || rows.buckets.length === 0) return all;
      all.push(...(rows.buckets as Array<z.infer<B>>));
      if (rows.buckets.length < PAGE_SIZE || !rows.after_key) return all;
      after = rows.after_key;
    }
  }

  private async search(request: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.client.search(request);
    } catch (error) {
      if (error instanceof errors.ElasticsearchClientError) {
        // A dependency failed, not the request: a precise 503 the caller may retry, never a 500.
        throw new ProblemError(503, 'unavailable', 'Analytics unavailable', 'Elasticsearch did not answer the report; retry shortly', {}, { 'Retry-After': '5' });
      }
      throw error;
    }
  }
}
