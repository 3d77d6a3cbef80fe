import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { productPageQuery, type ProductCursor, type ProductSort } from './catalog.queries.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * Every browse sort reads a page off an index in its order: on 10,000 products no plan sorts the catalog, first
 * page or later. (A missing index shows here as a Sort over a sequential scan.)
 */
describe('catalog page plans on 10,000 products (real Postgres)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await startTestDatabase();
    await database.pool.query(
      `INSERT INTO catalog_products (id, sku, name, description, price_cents, currency, stock_available, version, created_at, updated_at, last_position)
       SELECT gen_random_uuid(), 'SKU-' || n, 'Product ' || md5(n::text), 'A thing', (n * 7919) % 100000, 'EUR', 5, 1, now(), now(), n
         FROM generate_series(1, 10000) AS n`,
    );
    await database.pool.query('ANALYZE catalog_products');
  });

  afterAll(async () => {
    await database?.stop();
  });

  const planOf = async (sort: ProductSort, after?: ProductCursor): Promise<PlanNode[]> => {
    const query = productPageQuery({ sort, limit: 20, ...(after ? { after } : {}) });
    const { rows } = await database.pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${query.text}`, query.values);
    return nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan);
  };
  const id = '00000000-0000-4000-8000-000000000000';

  it.each([
    ['name', 'catalog_products_name_id', { sort: 'name', name: 'Product 8', id }],
    ['price_asc', 'catalog_products_price_id', { sort: 'price_asc', priceCents: 50_000, id }],
    ['price_desc', 'catalog_products_price_id', { sort: 'price_desc', priceCents: 50_000, id }],
  ] as const)('pages by %s through %s without sorting', async (sort, index, after) => {
    for (const nodes of [await planOf(sort), await planOf(sort, after)]) {
      expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
      expect(nodes.map((node) => node['Index Name'])).toContain(index);
    }
  });
});
