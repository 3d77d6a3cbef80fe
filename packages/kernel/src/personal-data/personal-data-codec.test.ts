import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { InMemoryEventStore } from '../event-store/in-memory-event-store.js';
import type { NewEvent, RecordedEvent } from '../event-store/event-store.port.js';
import { InMemoryDataKeyRing, KeyCache } from './data-key-ring.js';
import { MasterKey, newDataKey, TamperedEnvelope, unwrapDataKey, wrapDataKey } from './envelope.js';
import { PersonalDataCodec, UNREADABLE, type CodecPolicy } from './personal-data-codec.js';
import { PersonalDataEventStore } from './personal-data-event-store.js';

const policy: CodecPolicy = {
  fields: {
    Registered: { subject: 'customerId', paths: ['email', 'name'] },
    Placed: { subject: 'customerId', paths: ['address.line1', 'address.line2', 'address.city'] },
  },
  erasures: { Forgotten: 'customerId' },
  erased: '[erased]',
};
const metadata = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };
const newEvent = (type: string, data: Record<string, unknown>): NewEvent => ({ eventId: randomUUID(), type, schemaVersion: 1, data, metadata });
const recorded = (event: NewEvent, position = 1n): RecordedEvent => ({
  ...event,
  streamId: 's-1',
  streamVersion: position,
  globalPosition: position,
  recordedAt: new Date(0),
  hash: '',
});

const customerId = randomUUID();
const registered = (): NewEvent => newEvent('Registered', { customerId, email: 'ada@example.com', name: 'Ada Lovelace' });
const placed = (): NewEvent =>
  newEvent('Placed', { orderId: randomUUID(), customerId, address: { line1: '12 Crescent Road', city: 'London', postalCode: 'N1 1AA', country: 'GB' } });

describe('PersonalDataCodec', () => {
  it('stores each personal field as a v1 envelope under its subject with a fresh IV, and reads the plaintext back', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), policy);
    const event = registered();
    const [encoded] = await codec.encode([event]);
    const email = encoded!.data.email as Record<string, string>;
    const name = encoded!.data.name as Record<string, string>;
    expect(email).toMatchObject({ enc: 'v1', kid: customerId });
    expect(email.iv).not.toBe(name.iv);
    expect(JSON.stringify(encoded)).not.toContain('ada@example.com');
    expect(JSON.stringify(encoded)).not.toContain('Lovelace');
    expect(encoded!.data.customerId).toBe(customerId);
    const [decoded] = await codec.decode([recorded(encoded!)]);
    expect(decoded!.data).toEqual(event.data);
  });

  it('encrypts nested fields, skips absent optional ones and leaves the rest readable', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), policy);
    const event = placed();
    const [encoded] = await codec.encode([event]);
    const address = encoded!.data.address as Record<string, unknown>;
    expect(address.line2).toBeUndefined();
    expect(address.country).toBe('GB');
    expect(address.postalCode).toBe('N1 1AA');
    expect(address.line1).toMatchObject({ enc: 'v1' });
    expect((await codec.decode([recorded(encoded!)]))[0]!.data).toEqual(event.data);
  });

  it('passes events without personal data through as the same objects', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), policy);
    const event = newEvent('Paid', { orderId: randomUUID(), customerId });
    expect((await codec.encode([event]))[0]).toBe(event);
    const stored = recorded(event);
    expect((await codec.decode([stored]))[0]).toBe(stored);
  });

  it('reads every field of a shredded subject as [erased]', async () => {
    const keys = new InMemoryDataKeyRing();
    const codec = new PersonalDataCodec(keys, policy);
    const [encoded] = await codec.encode([registered()]);
    await keys.shred(customerId);
    const [decoded] = await codec.decode([recorded(encoded!)]);
    expect(decoded!.data).toEqual({ customerId, email: '[erased]', name: '[erased]' });
  });

  it('stores the placeholder, never the data, for a subject already shredded', async () => {
    const keys = new InMemoryDataKeyRing();
    await keys.shred(customerId);
    const [encoded] = await new PersonalDataCodec(keys, policy).encode([registered()]);
    expect(encoded!.data).toEqual({ customerId, email: '[erased]', name: '[erased]' });
  });

  it('refuses a ciphertext that was altered', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), policy);
    const [encoded] = await codec.encode([registered()]);
    const email = encoded!.data.email as Record<string, string>;
    const ct = Buffer.from(email.ct!, 'base64');
    ct[0] = ct[0]! ^ 1;
    const tampered = recorded({ ...encoded!, data: { ...encoded!.data, email: { ...email, ct: ct.toString('base64') } } });
    await expect(codec.decode([tampered])).rejects.toBeInstanceOf(TamperedEnvelope);
    expect((await codec.decode([tampered], { onTampered: 'mark' }))[0]!.data.email).toBe(UNREADABLE);
  });

  it('refuses an envelope moved to another event', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), policy);
    const [first, second] = await codec.encode([registered(), registered()]);
    const moved = recorded({ ...second!, data: { ...second!.data, email: first!.data.email } });
    await expect(codec.decode([moved])).rejects.toBeInstanceOf(TamperedEnvelope);
  });

  it('refuses a malformed envelope instead of passing it on as data', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), policy);
    const malformed = recorded(newEvent('Registered', { customerId, email: { enc: 'v1', kid: customerId, ct: 'AAAA' }, name: 'x' }));
    await expect(codec.decode([malformed])).rejects.toBeInstanceOf(TamperedEnvelope);
  });

  it('reads fields stored in plaintext before encryption existed as they are', async () => {
    const codec = new PersonalDataCodec(new InMemoryDataKeyRing(), policy);
    const legacy = recorded(registered());
    expect((await codec.decode([legacy]))[0]!.data.email).toBe('ada@example.com');
  });

  it('drops a cached key when it reads the subject erasure event', async () => {
    const forgotten: string[] = [];
    const keys = new InMemoryDataKeyRing();
    keys.forget = (subject: string) => void forgotten.push(subject);
    await new PersonalDataCodec(keys, policy).decode([recorded(newEvent('Forgotten', { customerId }))]);
    expect(forgotten).toEqual([customerId]);
  });

  it('encrypts on append and decrypts on read around any event store', async () => {
    const inner = new InMemoryEventStore();
    const store = new PersonalDataEventStore(inner, new PersonalDataCodec(new InMemoryDataKeyRing(), policy));
    const event = registered();
    await store.appendToStream('customer-1', 'no_stream', [event]);
    expect(JSON.stringify((await inner.readAll(0n, 10))[0]!.data)).not.toContain('ada@example.com');
    expect((await store.readStream('customer-1'))[0]!.data).toEqual(event.data);
    expect((await store.readAll(0n, 10))[0]!.data).toEqual(event.data);
  });
});

describe('data keys', () => {
  it('wraps a data key under the master key, bound to its subject', () => {
    const master = MasterKey.parse(Buffer.alloc(32, 7).toString('base64'));
    const key = newDataKey();
    const wrapped = wrapDataKey(master, 'a', key);
    expect(unwrapDataKey(master, 'a', wrapped)).toEqual(key);
    expect(() => unwrapDataKey(master, 'b', wrapped)).toThrow(/cannot be unwrapped/);
    expect(() => unwrapDataKey(Buffer.alloc(32, 8), 'a', wrapped)).toThrow(/cannot be unwrapped/);
  });

  it('takes only 32 bytes of base64 as the master key', () => {
    expect(MasterKey.safeParse(Buffer.alloc(16).toString('base64')).success).toBe(false);
    expect(MasterKey.safeParse('not base64!').success).toBe(false);
    expect(MasterKey.safeParse(Buffer.alloc(32).toString('base64')).success).toBe(true);
  });

  it('caches a bounded number of keys, least recently used out first, each for a limited time', () => {
    let now = 0;
    const cache = new KeyCache(2, 1_000, () => now);
    const active = { status: 'active' as const, key: newDataKey() };
    cache.set('a', active);
    cache.set('b', active);
    expect(cache.get('a')).toBe(active);
    cache.set('c', active);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(active);
    now = 1_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
