import { api } from '../api';
import { SalesReport, type SalesQuery } from '../contract';

export const analyticsApi = api.injectEndpoints({
  endpoints: (build) => ({
    salesReport: build.query<SalesReport, SalesQuery>({
      query: (params) => ({ url: 'analytics/sales', params: { ...params } }),
      responseSchema: SalesReport,
      providesTags: ['Sales'],
    }),
  }),
});

export const { useSalesReportQuery } = analyticsApi;
