import type { RecordedEvent } from '../event-store/event-store.port.js';

/**
 * Where events travel on NATS: versioned subjects `<prefix>.events.v1.<category>.<EventType>` in one JetStream
 * stream. What travels in them, and how it is encoded and decoded, is `integration-event.ts`.
 */
export interface EventBusNames {
  /** JetStream stream holding every published event. */
  streamName: string;
  /** First subject token; tests use a namespace so parallel suites never share subjects. */
  subjectPrefix: string;
}

export const DEFAULT_BUS_NAMES: EventBusNames = { streamName: 'SHOP_EVENTS', subjectPrefix: 'shop' };

/** `product-6f1c…` → `product`: the category is the stream id's prefix before the first dash. */
export const streamCategory = (streamId: string): string => streamId.split('-', 1)[0] ?? streamId;

export const eventSubject = (names: EventBusNames, event: Pick<RecordedEvent, 'streamId' | 'type'>): string =>
  `${names.subjectPrefix}.events.v1.${streamCategory(event.streamId)}.${event.type}`;

export const allEventsSubject = (names: EventBusNames): string => `${names.subjectPrefix}.events.v1.>`;
