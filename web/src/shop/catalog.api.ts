import { api, PAGE_SIZE } from '../api';
import { Product, ProductPage } from '../contract';

export const catalogApi = api.injectEndpoints({
  endpoints: (build) => ({
    listProducts: build.infiniteQuery<ProductPage, void, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.nextCursor,
      },
      query: ({ pageParam }) => ({
        url: 'products',
        params: { limit: PAGE_SIZE, cursor: pageParam ?? undefined },
      }),
      responseSchema: ProductPage,
      providesTags: (data) => [
        { type: 'Product', id: 'LIST' },
        ...(data?.pages.flatMap((page) => page.items.map(({ id }) => ({ type: 'Product' as const, id }))) ?? []),
      ],
    }),

    getProduct: build.query<Product, string>({
      query: (id) => `products/${encodeURIComponent(id)}`,
      responseSchema: Product,
      providesTags: (_product, _error, id) => [{ type: 'Product', id }],
    }),
  }),
});

export const { useListProductsInfiniteQuery, useGetProductQuery } = catalogApi;

/** The product's ETag, to send as `If-Match`: the contract makes it the quoted stream version it reflects. */
export const etagOf = (product: Pick<Product, 'version'>): string => `"${product.version}"`;
