import { connect, nanos, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import type { EventBusNames } from './event-bus.js';
import { allEventsSubject } from './event-bus.js';

/** Publishers dedupe on `Nats-Msg-Id` (= event id) inside this window; the store repairs anything older. */
const DUPLICATE_WINDOW_MS = 2 * 60_000;

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 2_000,
  });
}

/** Creates the event stream if it does not exist; idempotent, safe from several processes. */
export async function ensureEventStream(jsm: JetStreamManager, names: EventBusNames): Promise<void> {
  const config = {
    name: names.streamName,
    subjects: [allEventsSubject(names)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(7 * 24 * 60 * 60_000),
  };
  try {
    await jsm.streams.info(names.streamName);
  } catch {
    try {
      await jsm.streams.add(config);
    } catch (error) {
      // Another process may have created it between our info and add.
      await jsm.streams.info(names.streamName).catch(() => {
        throw error;
      });
    }
  }
}
