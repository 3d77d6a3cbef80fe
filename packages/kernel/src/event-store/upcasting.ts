import type { RecordedEvent } from './event-store.port.js';

/**
 * Upcasters turn an older event version into the next one on read, so code only ever sees the current shape:
 * `{ ProductCreated: { 1: (data) => ({ ...data, description: '' }) } }` upcasts version 1 to 2.
 */
export type Upcasters = Readonly<Record<string, Readonly<Record<number, (data: Record<string, unknown>) => Record<string, unknown>>>>>;

export function upcast(event: RecordedEvent, upcasters: Upcasters | undefined): RecordedEvent {
  const steps = upcasters?.[event.type];
  if (!steps) return event;
  let { data, schemaVersion } = event;
  for (let step = steps[schemaVersion]; step; step = steps[schemaVersion]) {
    data = step(data);
    schemaVersion += 1;
  }
  return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
}
