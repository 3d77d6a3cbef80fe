import { describe, expect, it } from '@jest/globals';
import { ProblemError } from '@shop/service-kit';
import { elasticsearchErrorAnswer, mockElasticsearch, type MockedRequest } from '@shop/testing';
import { ElasticsearchSalesReport } from './es-sales-report.js';

const range = { from: new Date('2026-11-23T00:00:00.000Z'), to: new Date('2026-11-26T00:00:00.000Z') };
const sum = (value: number) => ({ value });
const HAT = '2f9e4a0b-3b8d-4d0a-9c74-77fab9e4d333';

describe('the Elasticsearch sales report against Elastic\'s mock', () => {
  it('asks for a composite aggregation by UTC day and currency over [from, to), and maps its buckets', async () => {
    const { mock, client } = mockElasticsearch();
    const requests: MockedRequest[] = [];
    mock.add({ method: 'POST', path: '/shop-sales/_search' }, (params) => {
      requests.push(params as MockedRequest);
      return {
        took: 1,
        timed_out: false,
        hits: { hits: [] },
        aggregations: {
          rows: {
            after_key: { day: '2026-11-24', currency: 'USD' },
            buckets: [
              { key: { day: '2026-11-24', currency: 'USD' }, doc_count: 1, orders: sum(1), units: sum(1), revenueCents: sum(2000) },
              { key: { day: '2026-11-23', currency: 'EUR' }, doc_count: 2, orders: sum(1), units: sum(3), revenueCents: sum(3048) },
            ],
          },
        },
      };
    });
    const rows = await new ElasticsearchSalesReport(client, 'shop-sales').salesByDay(range);
    expect(rows).toEqual([
      { day: '2026-11-23', currency: 'EUR', orders: 1, units: 3, revenueCents: 3048 },
      { day: '2026-11-24', currency: 'USD', orders: 1, units: 1, revenueCents: 2000 },
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.querystring).toEqual({ ignore_unavailable: 'true' });
    expect(requests[0]!.body).toEqual({
      size: 0,
      track_total_hits: false,
      query: { range: { at: { gte: '2026-11-23T00:00:00.000Z', lt: '2026-11-26T00:00:00.000Z' } } },
      aggs: {
        rows: {
          composite: {
            size: 1_000,
            sources: [
              { day: { date_histogram: { field: 'at', calendar_interval: '1d', time_zone: 'UTC', format: 'yyyy-MM-dd' } } },
              { currency: { terms: { field: 'currency' } } },
            ],
          },
          aggs: { orders: { sum: { field: 'orderDelta' } }, units: { sum: { field: 'units' } }, revenueCents: { sum: { field: 'revenueCents' } } },
        },
      },
    });
  });

  it('pages through every bucket with after_key, and names each product as last sold', async () => {
    const { mock, client } = mockElasticsearch();
    const afters: unknown[] = [];
    const bucket = (productId: string, currency: string, revenue: number, name: string) => ({
      key: { productId, currency },
      doc_count: 1,
      orders: sum(1),
      units: sum(1),
      revenueCents: sum(revenue),
      latest: { hits: { hits: [{ _index: 'shop-sales', _id: 'x', _source: { sku: name.toUpperCase(), name } }] } },
    });
    mock.add({ method: 'POST', path: '/shop-sales/_search' }, (params) => {
      const composite = ((params as MockedRequest).body as { aggs: { rows: { composite: { after?: unknown } } } }).aggs.rows.composite;
      afters.push(composite.after);
      // A full first page (1,000 buckets), then one more, then none: the adapter must read all three pages.
      if (!composite.after) {
        return { hits: { hits: [] }, aggregations: { rows: { after_key: { productId: 'p999', currency: 'EUR' }, buckets: Array.from({ length: 1_000 }, (_, i) => bucket(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, 'EUR', i, `p${i}`)) } } };
      }
      if (afters.length === 2) return { hits: { hits: [] }, aggregations: { rows: { after_key: { productId: HAT, currency: 'USD' }, buckets: [bucket(HAT, 'USD', 6000, 'Sun hat')] } } };
      return { hits: { hits: [] }, aggregations: { rows: { buckets: [] } } };
    });
    const rows = await new ElasticsearchSalesReport(client, 'shop-sales').salesByProduct(range);
    expect(afters).toEqual([undefined, { productId: 'p999', currency: 'EUR' }]);
    expect(rows).toHaveLength(1_001);
    expect(rows[0]).toEqual({ productId: HAT, sku: 'SUN HAT', name: 'Sun hat', currency: 'USD', orders: 1, units: 1, revenueCents: 6000 });
    expect(rows.at(-1)!.revenueCents).toBe(0);
    expect(rows.map((r) => r.productId)).toContain(`00000000-0000-4000-8000-000000000999`);
  });

  it('asks for the latest sale per product with the SQL read model\'s tie-breaks, and sums `sign` as orders', async () => {
    const { mock, client } = mockElasticsearch();
    let body: unknown;
    mock.add({ method: 'POST', path: '/shop-sales/_search' }, (params) => {
      body = (params as MockedRequest).body;
      return { hits: { hits: [] }, aggregations: { rows: { buckets: [] } } };
    });
    await new ElasticsearchSalesReport(client, 'shop-sales').salesByProduct(range);
    expect((body as { aggs: { rows: { aggs: unknown } } }).aggs.rows.aggs).toEqual({
      orders: { sum: { field: 'sign' } },
      units: { sum: { field: 'units' } },
      revenueCents: { sum: { field: 'revenueCents' } },
      latest: { top_hits: { size: 1, sort: [{ at: 'desc' }, { position: 'desc' }, { lineNo: 'desc' }], _source: { includes: ['sku', 'name'] } } },
    });
  });

  it('answers no rows while the index does not exist yet (no aggregations in the answer)', async () => {
    const { mock, client } = mockElasticsearch();
    mock.add({ method: 'POST', path: '/shop-sales/_search' }, () => ({ hits: { hits: [] } }));
    await expect(new ElasticsearchSalesReport(client, 'shop-sales').salesByDay(range)).resolves.toEqual([]);
  });

  it('turns a cluster that does not answer into a 503 `unavailable` problem, never a 500', async () => {
    const { mock, client } = mockElasticsearch();
    mock.add({ method: 'POST', path: '/shop-sales/_search' }, () => elasticsearchErrorAnswer(503));
    const failure = new ElasticsearchSalesReport(client, 'shop-sales').salesByDay(range);
    await expect(failure).rejects.toBeInstanceOf(ProblemError);
    await expect(failure).rejects.toMatchObject({ status: 503, code: 'unavailable', headers: { 'Retry-After': '5' } });
  });
});
