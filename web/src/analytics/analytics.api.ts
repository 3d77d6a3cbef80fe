import { shopRequests, type SalesReport } from '@shop/client';
import { api } from '../api';
import type { SalesQuery } from './sales-query';

export const analyticsApi = api.injectEndpoints({
  endpoints: (build) => ({
    salesReport: build.query<SalesReport, SalesQuery>({
      query: (query) => shopRequests.salesReport(query),
      providesTags: ['Sales'],
    }),
  }),
});

export const { useSalesReportQuery } = analyticsApi;
