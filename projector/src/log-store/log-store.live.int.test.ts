import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Client } from '@elastic/elasticsearch';
import { createLogger, elasticsearchLogOptions } from '@shop/service-kit';
import { DEFAULT_ASSETS_DIR, LOG_POLICY, LOG_TEMPLATE, readLogStoreAssets, setUpLogStore } from './log-store-setup.js';

// Runs only where ELASTICSEARCH_URL points at a live cluster (jest.config.js excludes this file otherwise), and puts
// the Kibana data view too where KIBANA_URL is set. No cluster can run on the development machines (docs/observability.md).
const url = process.env.ELASTICSEARCH_URL;
if (!url) throw new Error('log-store.live.int.test.ts needs ELASTICSEARCH_URL');
const kibanaUrl = process.env.KIBANA_URL || undefined;

const require = createRequire(import.meta.url);
const pinoElasticsearch = require('pino-elasticsearch') as (options: Record<string, unknown>) => NodeJS.WritableStream & { on(event: 'insert', listener: () => void): void };

describe('the log store on a live cluster (ELASTICSEARCH_URL)', () => {
  const client = new Client({ node: url });
  afterAll(async () => {
    await client.close();
  });

  it('installs the policy and the template, and a shipped line lands in a logs-shop-* data stream with its ECS fields', async () => {
    await setUpLogStore({ elasticsearch: client, kibanaUrl, assets: readLogStoreAssets(DEFAULT_ASSETS_DIR), retentionDays: 14 });
    const policies = await client.ilm.getLifecycle({ name: LOG_POLICY });
    expect(policies[LOG_POLICY]!.policy.phases.delete?.min_age).toBe('14d');
    const templates = await client.indices.getIndexTemplate({ name: LOG_TEMPLATE });
    expect(templates.index_templates[0]!.index_template.index_patterns).toEqual(['logs-shop-*']);

    const dataStream = `logs-shop-test${randomUUID().slice(0, 8)}`;
    const correlationId = `live-${randomUUID()}`;
    const stream = pinoElasticsearch({ ...elasticsearchLogOptions({ url, dataStream }), flushInterval: 100 });
    const inserted = new Promise<void>((resolve) => stream.on('insert', () => resolve()));
    createLogger('projector', 'info', stream).info({ correlationId }, 'live line');
    stream.end();
    await inserted;
    try {
      await client.indices.refresh({ index: dataStream });
      const found = await client.search<Record<string, unknown>>({ index: dataStream, query: { term: { 'labels.correlation_id': correlationId } } });
      expect(found.hits.hits.map((hit) => hit._source)).toEqual([expect.objectContaining({ message: 'live line', 'service.name': 'projector' })]);
      const mapping = await client.indices.getMapping({ index: dataStream });
      const properties = Object.values(mapping)[0]!.mappings.properties!;
      expect(properties.labels).toMatchObject({ properties: { correlation_id: { type: 'keyword' } } });
    } finally {
      await client.indices.deleteDataStream({ name: dataStream });
    }
  });
});
