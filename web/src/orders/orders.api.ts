import { shopRequests, type Order, type OrderPage, type QueryOf, type OrderTransitionResponse, type PaymentMethod, type PlaceOrderRequest, type PlaceOrderResponse } from '@shop/client';
import { api, listTags, PAGE_SIZE, pagedByCursor } from '../api';

/** Which orders to list (admin, auditor): by status and placed time; `{}` is all of them (a shopper's own). */
export type OrderFilters = Pick<QueryOf<'listOrders'>, 'status' | 'placedFrom' | 'placedTo'>;

const orderChanged = (orderId: string) => [
  { type: 'Order' as const, id: orderId },
  { type: 'Order' as const, id: 'LIST' },
];

export const ordersApi = api.injectEndpoints({
  endpoints: (build) => ({
    placeOrder: build.mutation<PlaceOrderResponse, { order: PlaceOrderRequest; idempotencyKey: string }>({
      query: ({ order, idempotencyKey }) => shopRequests.placeOrder(order, idempotencyKey),
      // Stock was reserved on every line's product.
      invalidatesTags: (placed, _error, { order }) =>
        placed ? [{ type: 'Order', id: 'LIST' }, { type: 'Product', id: 'LIST' }, ...order.lines.map(({ productId }) => ({ type: 'Product' as const, id: productId }))] : [],
    }),

    listOrders: build.infiniteQuery<OrderPage, OrderFilters, string | null>({
      infiniteQueryOptions: pagedByCursor,
      query: ({ queryArg, pageParam }) => shopRequests.listOrders({ ...queryArg, limit: PAGE_SIZE, cursor: pageParam ?? undefined }),
      providesTags: listTags('Order'),
    }),

    getOrder: build.query<Order, string>({
      query: (id) => shopRequests.getOrder(id),
      providesTags: (_order, _error, id) => [{ type: 'Order', id }],
    }),

    payOrder: build.mutation<OrderTransitionResponse, { orderId: string; method: PaymentMethod }>({
      query: ({ orderId, method }) => shopRequests.payOrder(orderId, method),
      invalidatesTags: (done, _error, { orderId }) => (done ? [...orderChanged(orderId), 'Sales'] : []),
    }),

    cancelOrder: build.mutation<OrderTransitionResponse, { orderId: string; reason?: string }>({
      query: ({ orderId, reason }) => shopRequests.cancelOrder(orderId, reason),
      // Cancelling releases the reserved stock of every line.
      invalidatesTags: (done, _error, { orderId }) => (done ? [...orderChanged(orderId), 'Product', 'Sales'] : []),
    }),

    shipOrder: build.mutation<OrderTransitionResponse, string>({
      query: (orderId) => shopRequests.shipOrder(orderId),
      invalidatesTags: (done, _error, orderId) => (done ? orderChanged(orderId) : []),
    }),

    refundOrder: build.mutation<OrderTransitionResponse, string>({
      query: (orderId) => shopRequests.refundOrder(orderId),
      invalidatesTags: (done, _error, orderId) => (done ? [...orderChanged(orderId), 'Product', 'Sales'] : []),
    }),
  }),
});

export const {
  usePlaceOrderMutation,
  useListOrdersInfiniteQuery,
  useGetOrderQuery,
  usePayOrderMutation,
  useCancelOrderMutation,
  useShipOrderMutation,
  useRefundOrderMutation,
} = ordersApi;
