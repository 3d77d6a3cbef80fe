import { describe, expect, it } from '@jest/globals';
import type { ProjectedEvent } from '@shop/kernel';
import { createdCustomerRow, customerUpdateFor, foldCustomerUpdates, type CustomerUpdate } from './customers.projection.js';

const customerId = '2c4e6a8b-1d3f-4a5b-9c7d-8e9f0a1b2c3d';
const recorded = (type: string, data: Record<string, unknown>, streamId = `customer-${customerId}`): ProjectedEvent => ({
  eventId: 'a9f0f1a8-2b0c-4f5e-8e7e-3c1d2b4a5f60',
  streamId,
  streamVersion: 2n,
  globalPosition: 9n,
  type,
  schemaVersion: 1,
  data: { customerId, ...data },
  metadata: { correlationId: 'c', causationId: 'c', actor: { system: 'test' } },
  recordedAt: new Date('2026-11-24T10:00:00Z'),
});

describe('customers projection: the change each event makes', () => {
  it('turns CustomerRegistered into a new row with email, name and registration time', () => {
    expect(customerUpdateFor(recorded('CustomerRegistered', { email: 'ada@example.com', name: 'Ada', registeredAt: '2026-11-01T00:00:00Z' }))).toEqual({
      customerId,
      version: 2n,
      position: 9n,
      change: { kind: 'register', customer: { email: 'ada@example.com', name: 'Ada', registeredAt: '2026-11-01T00:00:00Z' } },
    });
  });

  it('sets only the fields a CustomerProfileChanged names', () => {
    expect(customerUpdateFor(recorded('CustomerProfileChanged', { name: 'Ada King' }))?.change).toEqual({ kind: 'profile', fields: { name: 'Ada King' } });
  });

  it('turns CustomerForgotten into an erasure', () => {
    expect(customerUpdateFor(recorded('CustomerForgotten', { forgottenAt: '2026-12-01T00:00:00Z' }))?.change).toEqual({ kind: 'forget', forgottenAt: '2026-12-01T00:00:00Z' });
  });

  it('ignores events of other stream categories', () => {
    expect(customerUpdateFor(recorded('OrderShipped', {}, 'order-1'))).toBeUndefined();
  });

  it('rejects a customer event whose data no longer matches its schema', () => {
    expect(() => customerUpdateFor(recorded('CustomerProfileChanged', {}))).toThrow();
  });
});

describe('folding a batch of customer updates', () => {
  const at = (version: bigint, change: CustomerUpdate['change']): CustomerUpdate => ({ customerId, version, position: version * 10n, change });
  const registered = { email: 'ada@example.com', name: 'Ada', registeredAt: '2026-11-01T00:00:00Z' };

  it('folds a registration and profile changes into the row the customer ends as', () => {
    const [folded] = foldCustomerUpdates([
      at(1n, { kind: 'register', customer: registered }),
      at(2n, { kind: 'profile', fields: { name: 'Ada King' } }),
      at(3n, { kind: 'profile', fields: { email: 'ada@king.example' } }),
    ]);
    expect(folded).toEqual({ customerId, registered, fields: { name: 'Ada King', email: 'ada@king.example' }, firstVersion: 1n, version: 3n, position: 30n });
    expect(createdCustomerRow({ ...folded!, registered })).toEqual({ email: 'ada@king.example', name: 'Ada King', registeredAt: '2026-11-01T00:00:00Z' });
  });

  it('erases email, name and registration time of a customer forgotten in the same batch (GDPR)', () => {
    const [folded] = foldCustomerUpdates([
      at(1n, { kind: 'register', customer: registered }),
      at(2n, { kind: 'profile', fields: { name: 'Ada King' } }),
      at(3n, { kind: 'forget', forgottenAt: '2026-12-01T00:00:00Z' }),
    ]);
    expect(folded?.forgottenAt).toBe('2026-12-01T00:00:00Z');
    expect(createdCustomerRow({ ...folded!, registered })).toEqual({ email: null, name: null, registeredAt: null });
  });
});
