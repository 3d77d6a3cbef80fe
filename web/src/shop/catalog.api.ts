import { shopRequests, type Product, type ProductPage } from '@shop/client';
import { api, listTags, PAGE_SIZE, pagedByCursor } from '../api';
import { listProductsQuery, type CatalogSearch } from './catalog-search';

export const catalogApi = api.injectEndpoints({
  endpoints: (build) => ({
    // One cached list per search (text and sort): its cursor continues only that listing.
    listProducts: build.infiniteQuery<ProductPage, CatalogSearch, string | null>({
      infiniteQueryOptions: pagedByCursor,
      query: ({ queryArg, pageParam }) => shopRequests.listProducts(listProductsQuery(queryArg, PAGE_SIZE, pageParam)),
      providesTags: listTags('Product'),
    }),

    getProduct: build.query<Product, string>({
      query: (id) => shopRequests.getProduct(id),
      providesTags: (_product, _error, id) => [{ type: 'Product', id }],
    }),
  }),
});

export const { useListProductsInfiniteQuery, useGetProductQuery } = catalogApi;

/** The product's ETag, to send as `If-Match`: the contract makes it the quoted stream version it reflects. */
export const etagOf = (product: Pick<Product, 'version'>): string => `"${product.version}"`;
