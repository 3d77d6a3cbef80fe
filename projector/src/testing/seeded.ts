import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '@shop/kernel';

/** mulberry32: a tiny seeded generator, so a test's random history can be written again exactly. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A domain event made ready to append by a test's writer: a fresh id, and metadata naming the writer. */
export const newEventBy = (writer: string, event: { type: string; data: object }, schemaVersion = 1): NewEvent => ({
  eventId: randomUUID(),
  type: event.type,
  schemaVersion,
  data: event.data as Record<string, unknown>,
  metadata: { correlationId: writer, causationId: writer, actor: { system: writer } } satisfies EventMetadata,
});
