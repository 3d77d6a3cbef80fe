import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { analyticsProjection, SalesIndexWriter } from '@shop/projector';
import { catchUpFromStore } from '../testing/catch-up.js';
import { ElasticsearchSalesReport } from './es-sales-report.js';
import { describeSalesReportContract } from './sales-report.contract.js';

// Runs only where ELASTICSEARCH_URL points at a live cluster (jest.config.js excludes this file otherwise):
// no Elasticsearch server can run on the development machines. Each run uses an index (and template) of its own.
const url = process.env.ELASTICSEARCH_URL;
if (!url) throw new Error('es-sales-report.int.test.ts needs ELASTICSEARCH_URL');

describeSalesReportContract('Elasticsearch (live cluster at ELASTICSEARCH_URL)', async ({ pool, store }) => {
  const client = new Client({ node: url, maxRetries: 0 });
  const index = `shop-sales-test-${randomUUID().slice(0, 8)}`;
  const writer = new SalesIndexWriter(client, index);
  await writer.ensureIndex();
  return {
    source: new ElasticsearchSalesReport(client, index),
    async project() {
      await catchUpFromStore(pool, store, analyticsProjection(writer));
    },
    async close() {
      await client.indices.delete({ index, ignore_unavailable: true });
      await client.indices.deleteIndexTemplate({ name: `${index}-template` });
      await client.close();
    },
  };
});
