import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@shop/kernel';

/** The envelope metadata of every event these fixtures write. */
export const TEST_METADATA = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };

/** `event` as an append takes it: a fresh event id, schema version 1, TEST_METADATA. */
export const newEvent = (event: { type: string; data: Record<string, unknown> }): NewEvent => ({
  eventId: randomUUID(),
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  metadata: TEST_METADATA,
});
