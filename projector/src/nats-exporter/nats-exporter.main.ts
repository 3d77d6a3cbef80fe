// The NATS exporter's composition root: `node projector/dist/nats-exporter/nats-exporter.main.js` (the compose
// service `nats-exporter` runs it on the projector image). Serves Prometheus text on PORT (default 7777) from the
// monitoring port at NATS_MONITOR_URL.
import { z } from 'zod';
import { createLogger } from '@shop/service-kit';
import { createNatsExporter } from './nats-exporter.js';

const Config = z.object({
  NATS_MONITOR_URL: z.url().default('http://nats:8222'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(7777),
  NATS_MONITOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
});

const config = Config.parse(process.env);
const server = createNatsExporter({ monitorUrl: config.NATS_MONITOR_URL, timeoutMs: config.NATS_MONITOR_TIMEOUT_MS });
const logger = createLogger('nats-exporter');
server.listen(config.PORT, () => logger.info({ port: config.PORT, monitor: config.NATS_MONITOR_URL }, 'nats-exporter listening'));
const stop = (): void => void server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
