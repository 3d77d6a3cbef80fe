import { PRODUCT_SORTS, type ProductSort, type QueryOf } from '@shop/client';

/**
 * What the shopper asked the catalog for: the search text and the order. It lives in the location's hash
 * (`#/?q=teapot&sort=price_asc`), so a reload, a shared link and the back button all show the same listing.
 * `sort: null` is "the default for this text": by name when browsing, by rank when searching.
 */
export interface CatalogSearch {
  search: string;
  sort: ProductSort | null;
}

export const NO_SEARCH: CatalogSearch = { search: '', sort: null };

/** The API's limit on `search` (docs/openapi.json); longer text is cut rather than refused. */
export const MAX_SEARCH_LENGTH = 200;

export const SORT_LABELS: Record<ProductSort, string> = {
  name: 'Name',
  price_asc: 'Price, lowest first',
  price_desc: 'Price, highest first',
  relevance: 'Best match',
};

const searching = (search: string): boolean => search.trim() !== '';

/** The orders the API allows for this text: `relevance` only while searching. */
export const sortsFor = (search: string): ProductSort[] => PRODUCT_SORTS.filter((sort) => sort !== 'relevance' || searching(search));

/** The order the listing is in: the chosen one, else the API's default for the text. */
export const effectiveSort = ({ search, sort }: CatalogSearch): ProductSort => sort ?? (searching(search) ? 'relevance' : 'name');

/** A state the API accepts: the text trimmed and cut to its limit, a sort it allows with that text (else the default). */
function normalised(search: string, sort: ProductSort | null): CatalogSearch {
  const text = search.trim().slice(0, MAX_SEARCH_LENGTH);
  const allowed = sort !== null && sortsFor(text).includes(sort) && sort !== effectiveSort({ search: text, sort: null });
  return { search: text, sort: allowed ? sort : null };
}

const isSort = (value: string | null): value is ProductSort => (PRODUCT_SORTS as readonly string[]).includes(value ?? '');

/** The catalog search in a hash such as `#/?q=teapot&sort=price_asc`; anything unknown falls back to the default. */
export function parseCatalogSearch(hash: string): CatalogSearch {
  const query = hash.split('?', 2)[1] ?? '';
  const params = new URLSearchParams(query);
  const sort = params.get('sort');
  return normalised(params.get('q') ?? '', isSort(sort) ? sort : null);
}

/** The hash that shows this search: `#/` for the plain catalog, the text and a non-default sort otherwise. */
export function catalogSearchHref(state: CatalogSearch): string {
  const { search, sort } = normalised(state.search, state.sort);
  const params = new URLSearchParams();
  if (search) params.set('q', search);
  if (sort) params.set('sort', sort);
  const query = params.toString();
  return query ? `#/?${query}` : '#/';
}

/** New text, keeping the chosen order where the API still allows it (`relevance` goes with the text). */
export const withSearchText = (state: CatalogSearch, search: string): CatalogSearch => normalised(search, state.sort);

export const withSort = (state: CatalogSearch, sort: ProductSort): CatalogSearch => normalised(state.search, sort);

/**
 * The `GET /api/products` query of one page. The default order is left out (the API applies it), so the plain
 * catalog asks exactly what it always asked, and equal listings share one cache entry.
 */
export function listProductsQuery(state: CatalogSearch, limit: number, cursor: string | null): QueryOf<'listProducts'> {
  const { search, sort } = normalised(state.search, state.sort);
  return {
    limit,
    ...(search ? { search } : {}),
    ...(sort ? { sort } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/** "1 product", "7 products", or "20+ products" while the API has more pages (it answers no total). */
export function resultCount(loaded: number, more: boolean): string {
  const noun = loaded === 1 && !more ? 'product' : 'products';
  return `${loaded}${more ? '+' : ''} ${noun}`;
}
