import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger.js';
import { elasticsearchLogOptions, LogShippingConfig, logShippingOf } from './log-shipping.js';
import { z } from 'zod';

// Both are CommonJS; pino-elasticsearch builds its client from the Connection class given (Elastic's mock here), as
// pino's transport worker does with the real one.
const require = createRequire(import.meta.url);
type Splitter = NodeJS.WritableStream & { on(event: 'insert' | 'error' | 'insertError', listener: (value: unknown) => void): Splitter };
const pinoElasticsearch = require('pino-elasticsearch') as (options: Record<string, unknown>) => Splitter;
const ClientMock = require('@elastic/elasticsearch-mock') as new () => { add(pattern: object, fn: (params: { body: unknown; path: string }) => unknown): void; getConnection(): unknown };

describe('log shipping to Elasticsearch', () => {
  it('bulk-creates each ECS line into the logs-shop-* data stream', async () => {
    const mock = new ClientMock();
    const bulks: Array<{ path: string; body: unknown }> = [];
    const flushed = new Promise<void>((resolve) => {
      mock.add({ method: 'POST', path: '/_bulk' }, (params) => {
        bulks.push({ path: params.path, body: params.body });
        resolve();
        const documents = (params.body as unknown[]).length / 2;
        return { errors: false, took: 1, items: Array.from({ length: documents }, () => ({ create: { status: 201 } })) };
      });
    });
    const options = elasticsearchLogOptions({ url: 'http://localhost:9200', dataStream: 'logs-shop-default' });
    const stream = pinoElasticsearch({ ...options, flushInterval: 50, Connection: mock.getConnection() });
    const logger = createLogger('command-service', 'info', stream);

    logger.info({ correlationId: 'corr-ship-1' }, 'product created');
    await flushed;

    const [action, document] = bulks[0]!.body as [Record<string, { _index: string; op_type: string }>, Record<string, unknown>];
    // A data stream takes `create` only; the document is the ECS line as written, @timestamp included.
    expect(action).toEqual({ index: { _index: 'logs-shop-default', op_type: 'create' } });
    expect(document).toMatchObject({ message: 'product created', 'service.name': 'command-service', 'log.level': 'info', 'labels.correlation_id': 'corr-ship-1' });
    expect(typeof document['@timestamp']).toBe('string');
    stream.end();
  });

  it('ships only when LOG_ELASTICSEARCH_URL is set, and only into a logs-shop-* data stream', () => {
    const config = z.object(LogShippingConfig);
    expect(logShippingOf(config.parse({ LOG_ELASTICSEARCH_URL: '' }))).toBeUndefined();
    expect(logShippingOf(config.parse({ LOG_ELASTICSEARCH_URL: 'http://elasticsearch:9200' }))).toEqual({ url: 'http://elasticsearch:9200', dataStream: 'logs-shop-default' });
    expect(config.safeParse({ LOG_ELASTICSEARCH_URL: 'http://elasticsearch:9200', LOG_ELASTICSEARCH_DATA_STREAM: 'shop-logs' }).success).toBe(false);
    expect(config.safeParse({ LOG_ELASTICSEARCH_URL: 'not a url' }).success).toBe(false);
  });
});
