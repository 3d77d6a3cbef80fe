import { describe, expect, it } from '@jest/globals';
import { productPageQuery } from './catalog.queries.js';

const id = '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111';

describe('the SQL of a catalog page', () => {
  it.each([
    ['name', 'ORDER BY p.name ASC, p.id ASC'],
    ['price_asc', 'ORDER BY p.price_cents ASC, p.id ASC'],
    ['price_desc', 'ORDER BY p.price_cents DESC, p.id DESC'],
  ] as const)('orders a browse by %s with the id breaking ties, and reads one row more than the page', (sort, order) => {
    const query = productPageQuery({ sort, limit: 20 });
    expect(query.text).toContain(order);
    expect(query.text).not.toContain('search_document');
    expect(query.values).toEqual([21]);
  });

  it.each([
    [{ sort: 'name', name: 'Mug', id } as const, '(p.name, p.id) > ($1::text, $2::uuid)', ['Mug', id, 11]],
    [{ sort: 'price_asc', priceCents: 1299, id } as const, '(p.price_cents, p.id) > ($1::bigint, $2::uuid)', [1299, id, 11]],
    [{ sort: 'price_desc', priceCents: 1299, id } as const, '(p.price_cents, p.id) < ($1::bigint, $2::uuid)', [1299, id, 11]],
  ])('continues after a %j cursor in its own direction', (after, keyset, values) => {
    const query = productPageQuery({ sort: after.sort, after, limit: 10 });
    expect(query.text).toContain(`WHERE ${keyset}`);
    expect(query.values).toEqual(values);
  });

  it('ranks a search by relevance, best first, and continues below the last rank', () => {
    const query = productPageQuery({ sort: 'relevance', search: 'mug', after: { sort: 'relevance', rank: 0.5, id }, limit: 5 });
    expect(query.text).toContain("ts_rank(search_document, websearch_to_tsquery('english', $1)) AS rank");
    expect(query.text).toContain('(p.rank, p.id) < ($2::real, $3::uuid) ORDER BY p.rank DESC, p.id DESC');
    expect(query.values).toEqual(['mug', 0.5, id, 6]);
  });

  it('filters by a search and orders the matches by price when asked to, without ranking them', () => {
    const query = productPageQuery({ sort: 'price_asc', search: 'mug', limit: 5 });
    expect(query.text).toContain("WHERE search_document @@ websearch_to_tsquery('english', $1)");
    expect(query.text).not.toContain('ts_rank');
    expect(query.text).toContain('ORDER BY p.price_cents ASC');
  });

  it('names one prepared statement per shape of query', () => {
    const names = [
      productPageQuery({ sort: 'name', limit: 1 }),
      productPageQuery({ sort: 'name', limit: 1, search: 'x' }),
      productPageQuery({ sort: 'name', limit: 1, after: { sort: 'name', name: 'a', id } }),
      productPageQuery({ sort: 'price_asc', limit: 1 }),
      productPageQuery({ sort: 'price_desc', limit: 1 }),
      productPageQuery({ sort: 'relevance', limit: 1, search: 'x' }),
    ].map((query) => query.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses relevance without a search, and a cursor of another sort', () => {
    expect(() => productPageQuery({ sort: 'relevance', limit: 1 })).toThrow(/search/);
    expect(() => productPageQuery({ sort: 'price_asc', after: { sort: 'price_desc', priceCents: 1, id }, limit: 1 })).toThrow(/cannot continue/);
  });
});
