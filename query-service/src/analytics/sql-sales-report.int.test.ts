import { salesProjection } from '@shop/projector';
import { catchUpFromStore } from '../testing/catch-up.js';
import { describeSalesReportContract } from './sales-report.contract.js';
import { SqlSalesReport } from './sql-sales-report.js';

describeSalesReportContract('the SQL sales read model (real Postgres)', async ({ pool, store }) => ({
  source: new SqlSalesReport(pool),
  async project() {
    await catchUpFromStore(pool, store, salesProjection);
  },
  close: async () => undefined,
}));
