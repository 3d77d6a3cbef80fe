import { z } from 'zod';
import type { RecordedEvent } from '../event-store/event-store.port.js';

/**
 * What travels on NATS is an integration contract, not our storage row: versioned subjects
 * `<prefix>.events.v1.<category>.<EventType>` and a JSON body that consumers parse with this schema.
 */
export interface EventBusNames {
  /** JetStream stream holding every published event. */
  streamName: string;
  /** First subject token; tests use a namespace so parallel suites never share subjects. */
  subjectPrefix: string;
}

export const DEFAULT_BUS_NAMES: EventBusNames = { streamName: 'SHOP_EVENTS', subjectPrefix: 'shop' };

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

/** `product-6f1c…` → `product`: the category is the stream id's prefix before the first dash. */
export const streamCategory = (streamId: string): string => streamId.split('-', 1)[0] ?? streamId;

export const eventSubject = (names: EventBusNames, event: Pick<RecordedEvent, 'streamId' | 'type'>): string =>
  `${names.subjectPrefix}.events.v1.${streamCategory(event.streamId)}.${event.type}`;

export const allEventsSubject = (names: EventBusNames): string => `${names.subjectPrefix}.events.v1.>`;

export const toIntegrationEvent = (event: RecordedEvent): IntegrationEventV1 => ({
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
