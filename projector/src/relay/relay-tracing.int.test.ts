import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { connectNats, ensureEventStream, type EventBusNames, type PostgresEventStore } from '@shop/kernel';
import { createLogger, createServiceApp, SpanKind, startTracing, traceparentOfRequest, type Tracing } from '@shop/service-kit';
import { createProjectorMetrics } from '../metrics.js';
import { catalogProjection } from '../projections/catalog/catalog.projection.js';
import { eventually, startTestDatabaseAndBus, type TestDatabaseAndBus } from '../testing/infrastructure.js';
import { testRunner } from '../testing/runner.js';
import { Relay } from './relay.js';

/**
 * The trace hooks end to end in one process, on real Postgres and NATS JetStream, spans kept by the SDK's in-memory
 * exporter: a caller's traceparent → the HTTP server span (service-kit's hook, as every service mounts it) → the
 * event's metadata → the relay's publish span → the NATS headers → the projector's apply span.
 */
describe('one trace from a request through the relay into a projection', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let infrastructure: TestDatabaseAndBus;
  let store: PostgresEventStore;
  let nats: NatsConnection;
  let names: EventBusNames;

  beforeAll(async () => {
    tracing = (await startTracing('tracing-test', { spanProcessor: new SimpleSpanProcessor(exporter) }))!;
    infrastructure = await startTestDatabaseAndBus();
    ({ store } = infrastructure);
    names = { streamName: `${infrastructure.bus.namespace}_EVENTS`, subjectPrefix: infrastructure.bus.namespace };
    nats = await connectNats(infrastructure.bus.url, 'test');
    await ensureEventStream(await nats.jetstreamManager(), names);
  });

  afterAll(async () => {
    await nats.drain();
    await infrastructure.stop();
    await tracing.shutdown();
  });

  it('continues the caller’s trace: request span → relay publish span → projector apply span, and the projector’s line names it', async () => {
    const silent = createLogger('test', 'silent');
    // A service app as each service builds it, tracer given, with one route appending as a command does.
    const service = createServiceApp({ service: 'command-test', logger: silent, readiness: async () => undefined, tracer: tracing.tracer });
    const productId = randomUUID();
    service.app.post('/products', async (_req, res) => {
      const traceparent = traceparentOfRequest(res);
      const { lastPosition } = await store.appendToStream(`product-${productId}`, 'no_stream', [
        {
          eventId: randomUUID(),
          type: 'ProductCreated',
          schemaVersion: 1,
          data: { productId, sku: 'TRACE-1', name: 'Traced', description: '', priceCents: 500, currency: 'EUR', initialStock: 3 },
          metadata: { correlationId: 'corr-trace-1', causationId: 'corr-trace-1', actor: { system: 'test' }, ...(traceparent ? { traceparent } : {}) },
        },
      ]);
      res.status(201).json({ position: lastPosition.toString() });
    });
    service.finish();
    const http: Server = createServer(service.app);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger(
      'projector',
      'debug',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          done();
        },
      }),
    );
    const metrics = createProjectorMetrics(new Registry(), async () => ({}));
    const relay = new Relay({ pool: infrastructure.pool, connectionString: infrastructure.url, store, js: nats.jetstream(), names, metrics, logger: silent, tracer: tracing.tracer });
    const runner = testRunner(infrastructure.pool, store, catalogProjection, { logger, tracer: tracing.tracer });
    const running = [relay.run(), runner.runFromJetStream(nats.jetstream(), await nats.jetstreamManager(), names)];
    // The caller's own span: the request's span must be its child.
    const callerTraceId = randomUUID().replaceAll('-', '');
    const callerSpanId = randomUUID().replaceAll('-', '').slice(0, 16);
    try {
      const answer = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/products`, {
        method: 'POST',
        headers: { traceparent: `00-${callerTraceId}-${callerSpanId}-01` },
      });
      expect(answer.status).toBe(201);
      const position = BigInt(((await answer.json()) as { position: string }).position);

      let chain: { request: ReadableSpan; publish: ReadableSpan; apply: ReadableSpan } | undefined;
      await eventually(async () => {
        const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === callerTraceId);
        const request = spans.find((span) => span.kind === SpanKind.SERVER && span.parentSpanContext?.spanId === callerSpanId);
        const publish = spans.find((span) => span.kind === SpanKind.PRODUCER && span.parentSpanContext?.spanId === request?.spanContext().spanId);
        const apply = spans.find((span) => span.kind === SpanKind.CONSUMER && span.parentSpanContext?.spanId === publish?.spanContext().spanId);
        chain = request && publish && apply ? { request, publish, apply } : undefined;
        return chain !== undefined && runner.position >= position;
      });
      expect(chain!.request.name).toBe('POST /products');
      expect(chain!.request.attributes).toMatchObject({ 'http.route': '/products', 'http.response.status_code': 201 });
      expect(chain!.publish.attributes).toMatchObject({ 'messaging.system': 'nats', 'labels.correlation_id': 'corr-trace-1' });
      expect(chain!.apply.name).toBe('apply catalog');

      const applied = lines.find((line) => line.message === 'event applied');
      expect(applied).toMatchObject({ 'labels.correlation_id': 'corr-trace-1', 'trace.id': callerTraceId, 'event.action': 'ProductCreated', projection: 'catalog' });
    } finally {
      relay.stop();
      runner.stop();
      await Promise.all(running);
      await new Promise((resolve) => http.close(resolve));
    }
  }, 30_000);
});
