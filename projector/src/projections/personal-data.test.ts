import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { PERSONAL_DATA } from '@shop/domain';
import { InMemoryDataKeyRing, PersonalDataCodec, TamperedEnvelope, type NewEvent, type ProjectedEvent } from '@shop/kernel';
import { decryptingPersonalData } from './personal-data.js';
import type { Projection } from './projection.js';

const tx = {} as pg.ClientBase;
const customerId = randomUUID();
const registered: NewEvent = {
  eventId: randomUUID(),
  type: 'CustomerRegistered',
  schemaVersion: 1,
  data: { customerId, email: 'ada@example.com', name: 'Ada', registeredAt: '2026-01-01T00:00:00.000Z' },
  metadata: { correlationId: 'c', causationId: 'c', actor: { system: 'test' } },
};
const asDelivered = (event: NewEvent): ProjectedEvent => ({ ...event, streamId: `customer-${customerId}`, streamVersion: 1n, globalPosition: 1n, recordedAt: new Date(0) });

function recording(): { projection: Projection; seen: ProjectedEvent[] } {
  const seen: ProjectedEvent[] = [];
  return {
    seen,
    projection: {
      name: 'recording',
      streamPrefixes: ['customer-'],
      apply: (_tx, event) => {
        seen.push(event);
        return Promise.resolve([]);
      },
      applyNewer: (_tx, events) => {
        seen.push(...events);
        return Promise.resolve([]);
      },
    },
  };
}

describe('decryptingPersonalData', () => {
  it('hands the projection plaintext, one by one and in bulk, and keeps its name and prefixes', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), PERSONAL_DATA);
    const [encrypted] = await codec.encode([registered]);
    const { projection, seen } = recording();
    const wrapped = decryptingPersonalData(projection, codec);
    expect(wrapped.name).toBe('recording');
    expect(wrapped.streamPrefixes).toEqual(['customer-']);
    await wrapped.apply(tx, asDelivered(encrypted!));
    await wrapped.applyNewer!(tx, [asDelivered(encrypted!)]);
    expect(seen.map((event) => event.data)).toEqual([registered.data, registered.data]);
  });

  it('fails the event, not silently, when its ciphertext was altered', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), PERSONAL_DATA);
    const [encrypted] = await codec.encode([registered]);
    const email = encrypted!.data.email as Record<string, string>;
    const altered = asDelivered({ ...encrypted!, data: { ...encrypted!.data, email: { ...email, tag: 'AAAAAAAAAAAAAAAAAAAAAA==' } } });
    const { projection, seen } = recording();
    await expect(decryptingPersonalData(projection, codec).apply(tx, altered)).rejects.toBeInstanceOf(TamperedEnvelope);
    expect(seen).toEqual([]);
  });
});
