import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query/react';
import type { SessionState } from './session';
import type { Created, Credentials, LoginResponse, NewProduct, Product, ProductPage } from './types';

export const PAGE_SIZE = 20;

export const api = createApi({
  reducerPath: 'api',
  baseQuery: fetchBaseQuery({
    baseUrl: '/api',
    prepareHeaders(headers, { getState, type }) {
      const { auth, consistencyToken } = (getState() as { session: SessionState }).session;
      if (auth) headers.set('Authorization', `Bearer ${auth.token}`);
      // Read-your-writes: reads wait until the read model has caught up with our latest write.
      if (type === 'query' && consistencyToken) headers.set('Consistency-Token', consistencyToken);
      return headers;
    },
  }),
  tagTypes: ['Product'],
  endpoints: (build) => ({
    login: build.mutation<LoginResponse, Credentials>({
      query: (body) => ({ url: 'auth/login', method: 'POST', body }),
    }),

    listProducts: build.infiniteQuery<ProductPage, void, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.nextCursor,
      },
      query: ({ pageParam }) => ({
        url: 'products',
        params: { limit: PAGE_SIZE, cursor: pageParam ?? undefined },
      }),
      providesTags: (data) => [
        { type: 'Product', id: 'LIST' },
        ...(data?.pages.flatMap((page) => page.items.map(({ id }) => ({ type: 'Product' as const, id }))) ?? []),
      ],
    }),

    getProduct: build.query<Product, string>({
      query: (id) => `products/${encodeURIComponent(id)}`,
      providesTags: (_product, _error, id) => [{ type: 'Product', id }],
    }),

    createProduct: build.mutation<Created, NewProduct>({
      query: (body) => ({ url: 'products', method: 'POST', body }),
      transformResponse: (response: { id: string }, meta) => ({
        id: response.id,
        consistencyToken: meta?.response?.headers.get('Consistency-Token') ?? null,
      }),
      invalidatesTags: (created) => (created ? ['Product'] : []),
    }),
  }),
});

export const { useLoginMutation, useListProductsInfiniteQuery, useGetProductQuery, useCreateProductMutation } = api;
