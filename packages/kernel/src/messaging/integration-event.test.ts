import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '../event-store/event-store.port.js';
import { decodeIntegrationEvent, encodeIntegrationEvent, type ProjectedEvent } from './integration-event.js';

/** What crosses the wire: the relay's body as text, parsed back as JetStream's `message.json()` does. */
const overTheWire = (event: RecordedEvent): ProjectedEvent | undefined => decodeIntegrationEvent(JSON.parse(encodeIntegrationEvent(event)));

const withoutHash = ({ hash: _hash, ...event }: RecordedEvent): ProjectedEvent => event;

const sample = (overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
  eventId: randomUUID(),
  streamId: 'order-1',
  streamVersion: 1n,
  globalPosition: 1n,
  type: 'OrderPaid',
  schemaVersion: 1,
  data: {},
  metadata: { correlationId: 'c', causationId: 'c', actor: { system: 'test' } },
  recordedAt: new Date(0),
  hash: '0'.repeat(64),
  ...overrides,
});

const positive = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n });
const recordedEvent: fc.Arbitrary<RecordedEvent> = fc.record({
  eventId: fc.uuid(),
  streamId: fc.string({ minLength: 1 }),
  streamVersion: positive,
  globalPosition: positive,
  type: fc.string({ minLength: 1 }),
  schemaVersion: fc.integer({ min: 1, max: 1_000 }),
  // Data as it comes out of jsonb, which holds only what JSON can (no -0, for one). A top-level `__proto__` key is
  // the one thing the decoder drops (zod builds the record by assignment); no event schema of ours has one.
  data: fc
    .dictionary(fc.string().filter((key) => key !== '__proto__'), fc.jsonValue())
    .map((data) => JSON.parse(JSON.stringify(data)) as Record<string, unknown>),
  metadata: fc.record({
    correlationId: fc.string(),
    causationId: fc.string(),
    actor: fc.oneof(fc.record({ userId: fc.uuid(), role: fc.string() }), fc.record({ system: fc.string() })),
  }),
  // Millisecond precision, four-digit years: what Postgres' timestamptz hands the relay.
  recordedAt: fc.date({ min: new Date('1970-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
  hash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

describe('the integration-event codec', () => {
  it('gives back any recorded event, minus its hash, after encoding, the wire and decoding', () => {
    fc.assert(
      fc.property(recordedEvent, (event) => {
        expect(overTheWire(event)).toEqual(withoutHash(event));
      }),
      { numRuns: 200 },
    );
  });

  it('carries positions and versions beyond 2^53 exactly, as decimal text', () => {
    const body = JSON.parse(encodeIntegrationEvent(sample({ streamVersion: 2n ** 60n + 1n, globalPosition: 2n ** 62n + 3n }))) as Record<string, unknown>;
    expect(body).toMatchObject({ streamVersion: '1152921504606846977', globalPosition: '4611686018427387907' });
    expect(body).not.toHaveProperty('hash');
  });

  it('refuses a body that is not a V1 integration event', () => {
    const valid = JSON.parse(encodeIntegrationEvent(sample())) as Record<string, unknown>;
    expect(decodeIntegrationEvent(valid)).toBeDefined();
    expect(decodeIntegrationEvent({ ...valid, globalPosition: 1 })).toBeUndefined();
    expect(decodeIntegrationEvent({ ...valid, eventId: 'not-a-uuid' })).toBeUndefined();
    expect(decodeIntegrationEvent('{}')).toBeUndefined();
  });
});
