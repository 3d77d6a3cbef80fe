import { Registry } from 'prom-client';
import { createProjectorMetrics, ProjectionRunner, salesProjection } from '@shop/projector';
import { createLogger } from '@shop/service-kit';
import { describeSalesReportContract } from './sales-report.contract.js';
import { SqlSalesReport } from './sql-sales-report.js';

describeSalesReportContract('the SQL sales read model (real Postgres)', async ({ pool, store }) => ({
  source: new SqlSalesReport(pool),
  async project() {
    const runner = new ProjectionRunner({
      pool,
      store,
      projection: salesProjection,
      invalidate: async () => undefined,
      metrics: createProjectorMetrics(new Registry(), async () => ({})),
      logger: createLogger('test', 'silent'),
    });
    await runner.loadCheckpoint();
    await runner.catchUpFromStore();
  },
  close: async () => undefined,
}));
