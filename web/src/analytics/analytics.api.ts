import { shopRequests, type QueryOf, type SalesReport, type TopProductsReport } from '@shop/client';
import { api } from '../api';
import type { SalesQuery } from './sales-query';

export type TopProductsQuery = Required<QueryOf<'topProducts'>>;

export const analyticsApi = api.injectEndpoints({
  endpoints: (build) => ({
    salesReport: build.query<SalesReport, SalesQuery>({
      query: (query) => shopRequests.salesReport(query),
      providesTags: ['Sales'],
    }),
    topProducts: build.query<TopProductsReport, TopProductsQuery>({
      query: (query) => shopRequests.topProducts(query),
      providesTags: ['Sales'],
    }),
  }),
});

export const { useSalesReportQuery, useTopProductsQuery } = analyticsApi;
