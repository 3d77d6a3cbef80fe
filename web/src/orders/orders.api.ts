import { api, PAGE_SIZE } from '../api';
import { Order, OrderPage, OrderTransition, PlacedOrder, type PaymentMethod, type PlaceOrderRequest } from '../contract';

const orderChanged = (orderId: string) => [
  { type: 'Order' as const, id: orderId },
  { type: 'Order' as const, id: 'LIST' },
];

export const ordersApi = api.injectEndpoints({
  endpoints: (build) => ({
    placeOrder: build.mutation<PlacedOrder, { order: PlaceOrderRequest; idempotencyKey: string }>({
      query: ({ order, idempotencyKey }) => ({ url: 'orders', method: 'POST', body: order, headers: { 'Idempotency-Key': idempotencyKey } }),
      responseSchema: PlacedOrder,
      // Stock was reserved on every line's product.
      invalidatesTags: (placed, _error, { order }) =>
        placed ? [{ type: 'Order', id: 'LIST' }, { type: 'Product', id: 'LIST' }, ...order.lines.map(({ productId }) => ({ type: 'Product' as const, id: productId }))] : [],
    }),

    listOrders: build.infiniteQuery<OrderPage, void, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.nextCursor,
      },
      query: ({ pageParam }) => ({ url: 'orders', params: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } }),
      responseSchema: OrderPage,
      providesTags: (data) => [
        { type: 'Order', id: 'LIST' },
        ...(data?.pages.flatMap((page) => page.items.map(({ id }) => ({ type: 'Order' as const, id }))) ?? []),
      ],
    }),

    getOrder: build.query<Order, string>({
      query: (id) => `orders/${encodeURIComponent(id)}`,
      responseSchema: Order,
      providesTags: (_order, _error, id) => [{ type: 'Order', id }],
    }),

    payOrder: build.mutation<OrderTransition, { orderId: string; method: PaymentMethod }>({
      query: ({ orderId, method }) => ({ url: `orders/${encodeURIComponent(orderId)}/pay`, method: 'POST', body: { method } }),
      responseSchema: OrderTransition,
      invalidatesTags: (done, _error, { orderId }) => (done ? [...orderChanged(orderId), 'Sales'] : []),
    }),

    cancelOrder: build.mutation<OrderTransition, { orderId: string; reason?: string }>({
      query: ({ orderId, reason }) => ({ url: `orders/${encodeURIComponent(orderId)}/cancel`, method: 'POST', body: reason ? { reason } : {} }),
      responseSchema: OrderTransition,
      // Cancelling releases the reserved stock of every line.
      invalidatesTags: (done, _error, { orderId }) => (done ? [...orderChanged(orderId), 'Product', 'Sales'] : []),
    }),

    shipOrder: build.mutation<OrderTransition, string>({
      query: (orderId) => ({ url: `orders/${encodeURIComponent(orderId)}/ship`, method: 'POST', body: {} }),
      responseSchema: OrderTransition,
      invalidatesTags: (done, _error, orderId) => (done ? orderChanged(orderId) : []),
    }),

    refundOrder: build.mutation<OrderTransition, string>({
      query: (orderId) => ({ url: `orders/${encodeURIComponent(orderId)}/refund`, method: 'POST', body: {} }),
      responseSchema: OrderTransition,
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
