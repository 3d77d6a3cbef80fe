import { shopRequests, type CreateProductRequest, type CreateProductResponse, type DiscontinueProductResponse, type ProductVersionResponse, type StockAdjustmentRequest, type StockAdjustmentResponse, type UpdateProductRequest } from '@shop/client';
import { api } from '../api';

const productChanged = (id: string) => [
  { type: 'Product' as const, id },
  { type: 'Product' as const, id: 'LIST' },
];

export const adminProductsApi = api.injectEndpoints({
  endpoints: (build) => ({
    createProduct: build.mutation<CreateProductResponse, CreateProductRequest>({
      query: (body) => shopRequests.createProduct(body),
      invalidatesTags: (created) => (created ? [{ type: 'Product', id: 'LIST' }] : []),
    }),

    /** `If-Match` is the ETag the admin read: a product changed since answers 412 and nothing is written. */
    updateProduct: build.mutation<ProductVersionResponse, { id: string; ifMatch: string; changes: UpdateProductRequest }>({
      query: ({ id, ifMatch, changes }) => shopRequests.updateProduct(id, ifMatch, changes),
      invalidatesTags: (done, _error, { id }) => (done ? productChanged(id) : []),
    }),

    // Stock and discontinue are sent without If-Match (optional there): orders reserve stock all the time, so the
    // version an admin read is usually stale, and neither change depends on the fields the admin was looking at.
    adjustStock: build.mutation<StockAdjustmentResponse, { id: string; adjustment: StockAdjustmentRequest }>({
      query: ({ id, adjustment }) => shopRequests.adjustStock(id, adjustment),
      invalidatesTags: (done, _error, { id }) => (done ? productChanged(id) : []),
    }),

    discontinueProduct: build.mutation<DiscontinueProductResponse, string>({
      query: (id) => shopRequests.discontinueProduct(id),
      invalidatesTags: (done, _error, id) => (done ? productChanged(id) : []),
    }),
  }),
});

export const { useCreateProductMutation, useUpdateProductMutation, useAdjustStockMutation, useDiscontinueProductMutation } = adminProductsApi;
