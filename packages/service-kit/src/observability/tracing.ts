import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';

/**
 * Tracing is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (compose passes it empty by default). Off, the SDK is never
 * imported: the hooks below get no tracer and do nothing; only the OpenTelemetry API package (a few KB, no-op by
 * default) is loaded, for the logger's `trace.id`.
 */
export const TracingConfig = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
};

export interface Tracing {
  tracer: Tracer;
  /** Flushes the spans not yet exported and stops the SDK (on shutdown). */
  shutdown(): Promise<void>;
}

/** Where spans go: an OTLP/HTTP collector (production), or a span processor a test reads (InMemorySpanExporter). */
export type SpanDestination = { otlpEndpoint: string } | { spanProcessor: SpanProcessor };

/**
 * Starts the OpenTelemetry Node SDK for `service`, or answers undefined (tracing off) without loading it. The spans
 * are our own (HTTP server, relay publish, projector apply: the hooks in this file), not auto-instrumentation: the
 * services are ES modules, whose imports the SDK's require hooks do not see without a loader flag, and a span per
 * SQL query would cost more than it tells here. The SDK brings the context manager (AsyncLocalStorage), the W3C
 * propagator and the exporter.
 */
export async function startTracing(service: string, destination: SpanDestination | undefined): Promise<Tracing | undefined> {
  if (!destination) return undefined;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  let spanProcessor: SpanProcessor;
  if ('spanProcessor' in destination) spanProcessor = destination.spanProcessor;
  else {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    // The endpoint is the collector's base (as the OTel spec has OTEL_EXPORTER_OTLP_ENDPOINT); traces go to /v1/traces.
    const url = new URL('v1/traces', destination.otlpEndpoint.endsWith('/') ? destination.otlpEndpoint : `${destination.otlpEndpoint}/`).toString();
    spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  }
  const sdk = new NodeSDK({ serviceName: service, spanProcessors: [spanProcessor], instrumentations: [], autoDetectResources: false });
  sdk.start();
  return { tracer: trace.getTracer(service), shutdown: () => sdk.shutdown() };
}

/** The W3C `traceparent` naming `span` (or undefined when no propagator is registered, i.e. tracing is off). */
export function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier.traceparent;
}

/** The context a `traceparent` names, to start a child span in; the root context when there is none. */
export function contextOfTraceparent(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** The trace id inside a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`), for log lines. */
export const traceIdOf = (traceparent: string | undefined): string | undefined => traceparent?.split('-')[1];

/**
 * An HTTP server span for one request, child of the caller's `traceparent` header when it sent one. Framework-neutral:
 * the HTTP layer calls this with the method and the headers, runs the handler in `context`, and calls `end`.
 */
export function startServerSpan(tracer: Tracer, method: string, headers: Record<string, string | string[] | undefined>): { span: Span; context: Context; end(route: string, status: number): void } {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);
  return {
    span,
    context: trace.setSpan(parent, span),
    end(route, status) {
      span.updateName(`${method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/** A child span of `parent` (a `traceparent`), for work that continues a trace outside any request: relay, projector. */
export function startLinkedSpan(tracer: Tracer, name: string, kind: 'producer' | 'consumer', parent: string | undefined, attributes: Attributes): Span {
  return tracer.startSpan(name, { kind: kind === 'producer' ? SpanKind.PRODUCER : SpanKind.CONSUMER, attributes }, contextOfTraceparent(parent));
}

/** Ends a span, marking it failed when `error` is given. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : typeof error === 'string' ? error : (JSON.stringify(error) ?? 'unknown error'));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Runs `work` with `ctx` active (so the logger's `trace.id` and any child span see it). */
export const runInContext = <T>(ctx: Context, work: () => T): T => context.with(ctx, work);
export { SpanKind, type Span, type Tracer } from '@opentelemetry/api';

/** The span destination a parsed config names: OTLP to OTEL_EXPORTER_OTLP_ENDPOINT, or none (tracing off). */
export const spanDestinationOf = (config: { OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined }): SpanDestination | undefined =>
  config.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : undefined;
