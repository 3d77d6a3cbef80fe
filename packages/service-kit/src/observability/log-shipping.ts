import { pino, type DestinationStream } from 'pino';
import { z } from 'zod';

const unsetWhenEmpty = (value: unknown): unknown => (value === '' ? undefined : value);

/**
 * Where a service ships its log lines besides stdout. Unset LOG_ELASTICSEARCH_URL (compose passes it empty outside
 * the `analytics` profile): stdout only. The data stream matches the `logs-shop-*` index template that the
 * log-store setup job installs (infra/elasticsearch/), which gives it ECS mappings and the retention policy.
 */
export const LogShippingConfig = {
  LOG_ELASTICSEARCH_URL: z.preprocess(unsetWhenEmpty, z.url().optional()),
  LOG_ELASTICSEARCH_DATA_STREAM: z.string().regex(/^logs-shop-[a-z0-9._-]+$/, 'a data stream under logs-shop-* (the index template)').default('logs-shop-default'),
};

export interface LogShipping {
  url: string;
  dataStream: string;
}

/** LogShipping from a parsed config, or undefined when logs stay on stdout. */
export const logShippingOf = (config: { LOG_ELASTICSEARCH_URL?: string | undefined; LOG_ELASTICSEARCH_DATA_STREAM: string }): LogShipping | undefined =>
  config.LOG_ELASTICSEARCH_URL ? { url: config.LOG_ELASTICSEARCH_URL, dataStream: config.LOG_ELASTICSEARCH_DATA_STREAM } : undefined;

/**
 * pino-elasticsearch's options: bulk `create` into the data stream (a data stream takes creates only), flushed every
 * 64 KB or 2 s, whichever comes first — a line reaches Kibana within seconds without a request per line.
 */
export const elasticsearchLogOptions = (shipping: LogShipping) => ({
  node: shipping.url,
  index: shipping.dataStream,
  opType: 'create' as const,
  esVersion: 8,
  flushBytes: 64 * 1024,
  flushInterval: 2_000,
});

/**
 * The logger's destination: undefined (pino's stdout) without shipping; with it, stdout as before plus pino-elasticsearch
 * in pino's transport worker thread, so the service's thread never parses a line again nor waits on the cluster. One
 * target per worker: a worker with several filters lines by a numeric `level`, which ECS lines do not have (theirs is
 * `log.level`); the fan-out is pino's multistream here, which gets the level from the logger itself. Each stream takes
 * every level: the logger's LOG_LEVEL is the one filter. If Elasticsearch is down the bulk helper retries and then
 * drops; stdout (and `docker logs`) still has every line.
 */
export function logDestination(shipping: LogShipping | undefined): DestinationStream | undefined {
  if (!shipping) return undefined;
  const elasticsearch = pino.transport<Record<string, unknown>>({ target: 'pino-elasticsearch', options: elasticsearchLogOptions(shipping) }) as DestinationStream;
  return pino.multistream([
    { level: 'trace', stream: pino.destination(1) },
    { level: 'trace', stream: elasticsearch },
  ]);
}
