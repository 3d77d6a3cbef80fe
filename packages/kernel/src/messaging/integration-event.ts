import { z } from 'zod';
import type { RecordedEvent } from '../event-store/event-store.port.js';

/**
 * The integration contract on the bus, both ways: the relay encodes each stored event with `encodeIntegrationEvent`,
 * consumers decode with `decodeIntegrationEvent`. What travels is a versioned JSON body (this schema), not our
 * storage row: positions and versions as decimal strings (bigints do not survive JSON), times as ISO text, and no
 * hash (the chain is the store's to keep and the audit's to check; nothing downstream of the bus can verify it).
 */
export const IntegrationEventV1 = z.object({
  eventId: z.uuid(),
  streamId: z.string(),
  streamVersion: z.string().regex(/^\d+$/),
  globalPosition: z.string().regex(/^\d+$/),
  type: z.string(),
  schemaVersion: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
  recordedAt: z.iso.datetime(),
});
export type IntegrationEventV1 = z.infer<typeof IntegrationEventV1>;

/**
 * An event as a projection receives it: everything the store recorded but its hash, which the bus does not carry.
 * The store-fed path hands over stored events as they are (a RecordedEvent is a ProjectedEvent and more).
 */
export type ProjectedEvent = Omit<RecordedEvent, 'hash'>;

export const toIntegrationEvent = (event: ProjectedEvent): IntegrationEventV1 => ({
  eventId: event.eventId,
  streamId: event.streamId,
  streamVersion: event.streamVersion.toString(),
  globalPosition: event.globalPosition.toString(),
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: { ...event.metadata },
  recordedAt: event.recordedAt.toISOString(),
});

export const fromIntegrationEvent = (message: IntegrationEventV1): ProjectedEvent => ({
  eventId: message.eventId,
  streamId: message.streamId,
  streamVersion: BigInt(message.streamVersion),
  globalPosition: BigInt(message.globalPosition),
  type: message.type,
  schemaVersion: message.schemaVersion,
  data: message.data,
  // Only the relay publishes on these subjects, and it copies the metadata the store validated on append.
  metadata: message.metadata as unknown as ProjectedEvent['metadata'],
  recordedAt: new Date(message.recordedAt),
});

/** The body the relay publishes for a stored event. */
export const encodeIntegrationEvent = (event: ProjectedEvent): string => JSON.stringify(toIntegrationEvent(event));

/** A bus message's parsed JSON body as an event, or undefined when it is not a V1 integration event. */
export function decodeIntegrationEvent(body: unknown): ProjectedEvent | undefined {
  const parsed = IntegrationEventV1.safeParse(body);
  return parsed.success ? fromIntegrationEvent(parsed.data) : undefined;
}

/**
 * The headers the relay puts on each bus message beside its body: the event's correlation id (docs/observability.md:
 * one id from the gateway's X-Request-Id to the projector's log line) and, when tracing is on, the W3C trace context of
 * the relay's publish span (the projector's span is its child). Header names are part of the integration contract.
 */
export const BUS_HEADERS = { correlationId: 'X-Correlation-Id', traceparent: 'traceparent' } as const;
