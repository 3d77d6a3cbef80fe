import { api } from '../api';
import { CreatedProduct, Discontinued, ProductVersion, StockAdjusted, type NewProduct, type ProductChanges, type StockAdjustment } from '../contract';

const productChanged = (id: string) => [
  { type: 'Product' as const, id },
  { type: 'Product' as const, id: 'LIST' },
];

export const adminProductsApi = api.injectEndpoints({
  endpoints: (build) => ({
    createProduct: build.mutation<{ id: string }, NewProduct>({
      query: (body) => ({ url: 'products', method: 'POST', body }),
      responseSchema: CreatedProduct,
      invalidatesTags: (created) => (created ? [{ type: 'Product', id: 'LIST' }] : []),
    }),

    /** `If-Match` is the ETag the admin read: a product changed since answers 412 and nothing is written. */
    updateProduct: build.mutation<{ id: string; version: number }, { id: string; ifMatch: string; changes: ProductChanges }>({
      query: ({ id, ifMatch, changes }) => ({ url: `products/${encodeURIComponent(id)}`, method: 'PATCH', body: changes, headers: { 'If-Match': ifMatch } }),
      responseSchema: ProductVersion,
      invalidatesTags: (done, _error, { id }) => (done ? productChanged(id) : []),
    }),

    // Stock and discontinue are sent without If-Match (optional there): orders reserve stock all the time, so the
    // version an admin read is usually stale, and neither change depends on the fields the admin was looking at.
    adjustStock: build.mutation<{ stockAvailable: number }, { id: string; adjustment: StockAdjustment }>({
      query: ({ id, adjustment }) => ({ url: `products/${encodeURIComponent(id)}/stock`, method: 'POST', body: adjustment }),
      responseSchema: StockAdjusted,
      invalidatesTags: (done, _error, { id }) => (done ? productChanged(id) : []),
    }),

    discontinueProduct: build.mutation<{ status: 'discontinued' }, string>({
      query: (id) => ({ url: `products/${encodeURIComponent(id)}/discontinue`, method: 'POST', body: {} }),
      responseSchema: Discontinued,
      invalidatesTags: (done, _error, id) => (done ? productChanged(id) : []),
    }),
  }),
});

export const { useCreateProductMutation, useUpdateProductMutation, useAdjustStockMutation, useDiscontinueProductMutation } = adminProductsApi;
