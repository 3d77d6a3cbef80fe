import { shopRequests, type Product, type ProductPage } from '@shop/client';
import { api, listTags, PAGE_SIZE, pagedByCursor } from '../api';

export const catalogApi = api.injectEndpoints({
  endpoints: (build) => ({
    listProducts: build.infiniteQuery<ProductPage, void, string | null>({
      infiniteQueryOptions: pagedByCursor,
      query: ({ pageParam }) => shopRequests.listProducts({ limit: PAGE_SIZE, cursor: pageParam ?? undefined }),
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
