import { describe, expect, it } from '@jest/globals';
import { catalogSearchHref, effectiveSort, listProductsQuery, NO_SEARCH, parseCatalogSearch, resultCount, sortsFor, withSearchText, withSort } from './catalog-search';

describe('the catalog search in the hash', () => {
  it('reads the text and the sort back from the hash it wrote', () => {
    const state = { search: 'blue teapot', sort: 'price_desc' as const };
    expect(catalogSearchHref(state)).toBe('#/?q=blue+teapot&sort=price_desc');
    expect(parseCatalogSearch(catalogSearchHref(state))).toEqual(state);
  });

  it('is the plain catalog without a query, and writes the plain catalog as #/', () => {
    expect(parseCatalogSearch('#/')).toEqual(NO_SEARCH);
    expect(parseCatalogSearch('')).toEqual(NO_SEARCH);
    expect(catalogSearchHref(NO_SEARCH)).toBe('#/');
  });

  it('leaves the default sort out of the hash: by name when browsing, by rank when searching', () => {
    expect(catalogSearchHref({ search: '', sort: 'name' })).toBe('#/');
    expect(catalogSearchHref({ search: 'mug', sort: 'relevance' })).toBe('#/?q=mug');
    expect(catalogSearchHref({ search: 'mug', sort: 'name' })).toBe('#/?q=mug&sort=name');
  });

  it('falls back to the default for a sort it does not know, and for relevance without text', () => {
    expect(parseCatalogSearch('#/?q=mug&sort=cheapest')).toEqual({ search: 'mug', sort: null });
    expect(parseCatalogSearch('#/?sort=relevance')).toEqual(NO_SEARCH);
  });

  it('trims the text and cuts it to the API\'s 200 characters', () => {
    expect(parseCatalogSearch('#/?q=%20%20mug%20')).toEqual({ search: 'mug', sort: null });
    expect(parseCatalogSearch(`#/?q=${'a'.repeat(300)}`).search).toHaveLength(200);
  });
});

describe('changing the search', () => {
  it('offers relevance only while searching', () => {
    expect(sortsFor('')).toEqual(['name', 'price_asc', 'price_desc']);
    expect(sortsFor('mug')).toEqual(['name', 'price_asc', 'price_desc', 'relevance']);
  });

  it('keeps a price order when the text changes, and drops relevance with the text', () => {
    expect(withSearchText({ search: '', sort: 'price_asc' }, 'mug')).toEqual({ search: 'mug', sort: 'price_asc' });
    expect(effectiveSort(withSearchText({ search: 'mug', sort: null }, ''))).toBe('name');
    expect(effectiveSort(withSearchText(NO_SEARCH, 'mug'))).toBe('relevance');
  });

  it('sorts by the order chosen', () => {
    expect(effectiveSort(withSort({ search: 'mug', sort: null }, 'price_desc'))).toBe('price_desc');
    expect(effectiveSort(withSort({ search: '', sort: 'price_desc' }, 'name'))).toBe('name');
  });
});

describe('listProductsQuery', () => {
  it('asks the plain catalog exactly as before: a page size, and a cursor after the first page', () => {
    expect(listProductsQuery(NO_SEARCH, 20, null)).toEqual({ limit: 20 });
    expect(listProductsQuery(NO_SEARCH, 20, 'abc')).toEqual({ limit: 20, cursor: 'abc' });
  });

  it('sends the text, and the sort only when it is not the API\'s default', () => {
    expect(listProductsQuery({ search: 'mug', sort: null }, 20, null)).toEqual({ limit: 20, search: 'mug' });
    expect(listProductsQuery({ search: 'mug', sort: 'price_asc' }, 20, null)).toEqual({ limit: 20, search: 'mug', sort: 'price_asc' });
    expect(listProductsQuery({ search: '', sort: 'relevance' }, 20, null)).toEqual({ limit: 20 });
  });
});

describe('resultCount', () => {
  it('counts what is shown, with a plus while the API has more pages', () => {
    expect(resultCount(1, false)).toBe('1 product');
    expect(resultCount(7, false)).toBe('7 products');
    expect(resultCount(20, true)).toBe('20+ products');
  });
});
