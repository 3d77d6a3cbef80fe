import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'nats';
import pg from 'pg';
import { BUS_HEADERS, eventSubject, type EventBusNames } from '@shop/kernel';
import { retryUntil } from '@shop/testing';
import type { RunningStack } from './stack.js';
import { startTestStack } from './testing/test-stack.js';

const PASSWORD = 'observability-password';

/** A span as OTLP/HTTP JSON carries it (ids in hex, kind as a number: 2 server, 4 producer, 5 consumer). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
}

/** A real OTLP/HTTP receiver, as small as a collector can be: it keeps every span the services export to /v1/traces. */
async function startOtlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as {
        resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Omit<OtlpSpan, 'service'>[] }> }>;
      };
      for (const resourceSpans of body.resourceSpans) {
        const service = resourceSpans.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The JSON lines of a service's log file (the stack writes each service's stdout there). */
const logLines = (stack: RunningStack, service: string): Array<Record<string, unknown>> =>
  readFileSync(stack.services.find((child) => child.name === service)!.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const eventually = <T>(what: string, attempt: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> =>
  retryUntil(
    what,
    async () => {
      const found = await attempt();
      if (found === undefined) throw new Error('not yet');
      return found;
    },
    { timeoutMs, intervalMs: 200 },
  );

/**
 * docs/observability.md end to end, on the real processes `npm start` runs (LOG_LEVEL=debug, traces exported to a
 * local OTLP receiver): one id from the gateway's X-Request-Id to the projector's line, and one trace from the
 * command's request span through the relay to the projector.
 */
describe('one correlation id and one trace from the gateway to the projector', () => {
  let stack: RunningStack;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  const names: EventBusNames = { streamName: `OBS_${randomUUID().slice(0, 8)}`, subjectPrefix: `obs${randomUUID().slice(0, 8)}` };
  const requestId = `obs-${randomUUID()}`;
  let productId: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startTestStack({
      DEV_USERS_PASSWORD: PASSWORD,
      LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      NATS_STREAM: names.streamName,
      NATS_SUBJECT_PREFIX: names.subjectPrefix,
    });
    const login = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@shop.local', password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${stack.url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
      body: JSON.stringify({ sku: `OBS-${randomUUID().slice(0, 8)}`, name: 'Traced tea', description: 'Followed', priceCents: 450, currency: 'EUR', initialStock: 3 }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe(requestId);
    productId = ((await created.json()) as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  }, 60_000);

  it('names the command in the command service’s line, the event’s metadata, the NATS headers and the projector’s line by the gateway’s X-Request-Id', async () => {
    // Written when the answer has gone out, and through the stack's pipe into the file: a moment after the 201.
    const commandLine = await eventually('the command service logged the request', () =>
      logLines(stack, 'command-service').find((line) => line['http.request.id'] === requestId && line.message === 'request'),
    );
    expect(commandLine).toMatchObject({ 'labels.correlation_id': requestId, 'http.request.method': 'POST', 'http.route': '/api/products', 'http.response.status_code': 201 });

    const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 1 });
    const { rows } = await pool.query<{ event_type: string; metadata: { correlationId: string; traceparent?: string } }>(
      'SELECT event_type, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [`product-${productId}`],
    );
    await pool.end();
    expect(rows.map((row) => [row.event_type, row.metadata.correlationId])).toEqual([['ProductCreated', requestId]]);

    const nats = await connect({ servers: stack.natsUrl! });
    try {
      const subject = eventSubject(names, { streamId: `product-${productId}`, type: 'ProductCreated' });
      const message = await eventually('the relay published the event', () =>
        nats.jetstreamManager().then((jsm) => jsm.streams.getMessage(names.streamName, { last_by_subj: subject }).catch(() => undefined)),
      );
      expect(message.header.get(BUS_HEADERS.correlationId)).toBe(requestId);
    } finally {
      await nats.close();
    }

    const projectorLine = await eventually('the projector logged the event it applied', () =>
      logLines(stack, 'projector').find((line) => line.message === 'event applied' && line.projection === 'catalog' && line['labels.correlation_id'] === requestId),
    );
    expect(projectorLine).toMatchObject({ 'service.name': 'projector', 'event.action': 'ProductCreated', 'log.level': 'debug' });
  }, 30_000);

  it('exports one trace that runs from the command’s request span through the relay’s publish span to the projector’s apply span', async () => {
    const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 1 });
    const { rows } = await pool.query<{ traceparent: string }>("SELECT metadata->>'traceparent' AS traceparent FROM events WHERE stream_id = $1", [`product-${productId}`]);
    await pool.end();
    const traceId = rows[0]!.traceparent.split('-')[1]!;
    // The services export in batches every few seconds (the SDK's default schedule).
    const chain = await eventually(
      'the three spans of the trace were exported',
      () => {
        const spans = receiver.spans.filter((span) => span.traceId === traceId);
        const request = spans.find((span) => span.service === 'command-service' && span.kind === 2 && span.name === 'POST /api/products');
        const publish = spans.find((span) => span.service === 'projector' && span.kind === 4 && span.parentSpanId === request?.spanId);
        const apply = spans.find((span) => span.service === 'projector' && span.kind === 5 && span.name === 'apply catalog' && span.parentSpanId === publish?.spanId);
        return request && publish && apply ? { request, publish, apply } : undefined;
      },
      20_000,
    );
    expect(chain.publish.name).toBe(`publish ${eventSubject(names, { streamId: `product-${productId}`, type: 'ProductCreated' })}`);
    // The metadata names the request's span: the trace starts at the command service.
    expect(rows[0]!.traceparent.split('-')[2]).toBe(chain.request.spanId);
  }, 30_000);
});
