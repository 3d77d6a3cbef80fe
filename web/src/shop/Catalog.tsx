import { ProductSort, type Product } from '@shop/client';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { NewProductForm } from '../admin/admin.lazy';
import { useViewer } from '../app/viewer';
import { LoadMore, pagedList } from '../components/LoadMore';
import { RequestState } from '../components/Status';
import { useDebounced } from '../components/use-debounced';
import { formatCents } from '../money';
import { href, navigate, useHash } from '../route';
import { AddToCart } from './AddToCart';
import { useListProductsInfiniteQuery } from './catalog.api';
import { catalogSearchHref, effectiveSort, MAX_SEARCH_LENGTH, parseCatalogSearch, resultCount, SORT_LABELS, sortsFor, withSearchText, withSort, type CatalogSearch } from './catalog-search';
import { ProductImage } from './ProductImage';
import { StockBadge } from './StockBadge';

/** Long enough to let a word be typed, short enough to feel immediate. */
const SEARCH_DELAY_MS = 250;

/**
 * The catalog: ranked search, sort and "load more" over the API's cursor pages, as product cards. The search lives
 * in the hash (see catalog-search.ts): typing updates it once the typing pauses, and the hash drives the query, so
 * reload, back and forward all show what they should.
 */
export function Catalog() {
  const viewer = useViewer();
  const hash = useHash();
  const search = useMemo(() => parseCatalogSearch(hash), [hash]);
  const query = useListProductsInfiniteQuery(search);
  // Another search's pages are not shown while this one's load (`currentData`, not `data`): no stale count.
  const settling = query.isFetching && !query.currentData;
  const { items: products, empty, more } = pagedList({ ...query, data: query.currentData, isLoading: settling });
  const buys = viewer === 'guest' || viewer === 'shopper';

  return (
    <>
      {viewer === 'admin' && <NewProductForm />}
      <section className="panel" aria-labelledby="catalog-title">
        <h1 id="catalog-title">Catalog</h1>
        <SearchControls search={search} />
        <p className="result-count" role="status" data-testid="result-count">
          {settling ? 'Loading…' : query.currentData ? resultCount(products.length, more.hasMore) : ''}
        </p>
        <RequestState loading={false} error={query.error} />
        {empty && <EmptyCatalog search={search} />}
        {products.length > 0 && (
          <ul className="product-grid" data-testid="product-grid">
            {products.map((product) => (
              <ProductCard key={product.id} product={product} buys={buys} />
            ))}
          </ul>
        )}
        <LoadMore {...more} />
      </section>
    </>
  );
}

function SearchControls({ search }: { search: CatalogSearch }) {
  const [text, setText] = useState(search.search);
  const typed = useDebounced(text, SEARCH_DELAY_MS);

  // The hash changed under the box (back, forward, a link): the box shows that search. Our own updates of the hash
  // carry the box's text already, so they leave the typing alone.
  const [shown, setShown] = useState(search.search);
  if (shown !== search.search) {
    setShown(search.search);
    if (withSearchText(search, text).search !== search.search) setText(search.search);
  }

  const go = (next: CatalogSearch) => {
    const target = catalogSearchHref(next);
    if (target !== catalogSearchHref(search)) navigate(target);
  };

  // Typing paused: search for what the box says.
  useEffect(() => {
    go(withSearchText(search, typed));
    // Only a pause in the typing searches (hence `typed` alone): a hash change must not write older text back.
  }, [typed]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    go(withSearchText(search, text));
  }

  return (
    <form role="search" className="catalog-search" onSubmit={submit}>
      <label className="search-field">
        Search products
        <input
          type="search"
          data-testid="catalog-search"
          name="q"
          value={text}
          maxLength={MAX_SEARCH_LENGTH}
          placeholder="e.g. teapot"
          autoComplete="off"
          onChange={(event) => setText(event.target.value)}
        />
      </label>
      <label>
        Sort by
        <select data-testid="catalog-sort" value={effectiveSort(search)} onChange={(event) => go(withSort(search, ProductSort.parse(event.target.value)))}>
          {sortsFor(search.search).map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

function EmptyCatalog({ search }: { search: CatalogSearch }) {
  if (!search.search) {
    return (
      <p className="empty" data-testid="empty">
        No products yet
      </p>
    );
  }
  return (
    <div className="empty-state" data-testid="empty">
      <p>
        No products match <q>{search.search}</q>.
      </p>
      <p className="hint">
        Try fewer or other words, or <a href={href.catalog()}>see the whole catalog</a>.
      </p>
    </div>
  );
}

function ProductCard({ product, buys }: { product: Product; buys: boolean }) {
  return (
    <li className="product-card" data-testid="product-row">
      <ProductImage product={product} />
      <div className="product-card-body">
        <h2 className="product-name">
          <a href={href.product(product.id)}>{product.name}</a>
        </h2>
        <p className="product-meta">
          <span className="price" data-testid="card-price">
            {formatCents(product.priceCents, product.currency)}
          </span>
          <StockBadge product={product} />
        </p>
        <p className="mono hint sku">{product.sku}</p>
        {buys && <AddToCart product={product} />}
      </div>
    </li>
  );
}
