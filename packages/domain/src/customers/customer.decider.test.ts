import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '../shared/decider-spec.js';
import { decideCustomer, evolveCustomer, initialCustomerState, type CustomerCommand, type RegisterCustomer } from './customer.decider.js';
import type { CustomerEvent } from './customer.events.js';

const customerId = '0d6f2c4a-1b3e-4c5d-8e7f-9a0b1c2d3e4f';
const at = '2025-03-01T10:00:00.000Z';

const register: RegisterCustomer = {
  type: 'RegisterCustomer',
  data: { customerId, email: 'ada@example.com', name: 'Ada', registeredAt: at },
};
const registered: CustomerEvent = { type: 'CustomerRegistered', data: { ...register.data } };
const forgotten: CustomerEvent = { type: 'CustomerForgotten', data: { customerId, forgottenAt: at } };

const change = (fields: { name?: string; email?: string }): CustomerCommand => ({ type: 'ChangeCustomerProfile', data: { customerId, ...fields } });
const forget: CustomerCommand = { type: 'ForgetCustomer', data: { customerId, forgottenAt: at } };

/** given(events) · when(command) · then(events | error) */
const given = deciderSpec({ decide: decideCustomer, evolve: evolveCustomer, initialState: initialCustomerState });

describe('customer decider', () => {
  describe('RegisterCustomer', () => {
    it('registers a new customer', () => {
      given([]).when(register).then([registered]);
    });

    it('refuses to register a customer twice', () => {
      given([registered]).when(register).thenFails('customer_already_registered');
    });

    it('refuses to register a forgotten customer again', () => {
      given([registered, forgotten]).when(register).thenFails('customer_forgotten');
    });
  });

  describe('ChangeCustomerProfile', () => {
    it('changes the name alone', () => {
      given([registered]).when(change({ name: 'Ada L.' })).then([{ type: 'CustomerProfileChanged', data: { customerId, name: 'Ada L.' } }]);
    });

    it('changes the email alone', () => {
      given([registered])
        .when(change({ email: 'ada@example.org' }))
        .then([{ type: 'CustomerProfileChanged', data: { customerId, email: 'ada@example.org' } }]);
    });

    it('records both changes in one event', () => {
      given([registered])
        .when(change({ name: 'Ada L.', email: 'ada@example.org' }))
        .then([{ type: 'CustomerProfileChanged', data: { customerId, name: 'Ada L.', email: 'ada@example.org' } }]);
    });

    it('leaves out a field equal to the current one', () => {
      given([registered])
        .when(change({ name: 'Ada', email: 'ada@example.org' }))
        .then([{ type: 'CustomerProfileChanged', data: { customerId, email: 'ada@example.org' } }]);
    });

    it('records nothing when nothing changes', () => {
      given([registered]).when(change({ name: 'Ada', email: 'ada@example.com' })).then([]);
    });

    it('records nothing when no field is given', () => {
      given([registered]).when(change({})).then([]);
    });

    it('refuses to change a customer that does not exist', () => {
      given([]).when(change({ name: 'Ada L.' })).thenFails('customer_not_found');
    });

    it('refuses to change a forgotten customer', () => {
      given([registered, forgotten]).when(change({ name: 'Ada L.' })).thenFails('customer_forgotten');
    });

    it('evolves a profile change into the new name and email', () => {
      const state = given([registered, { type: 'CustomerProfileChanged', data: { customerId, email: 'ada@example.org' } }]).state();
      expect(state).toEqual({ status: 'registered', customerId, name: 'Ada', email: 'ada@example.org', registeredAt: at });
    });
  });

  describe('ForgetCustomer', () => {
    it('forgets a registered customer', () => {
      given([registered]).when(forget).then([forgotten]);
    });

    it('refuses to forget a customer twice', () => {
      given([registered, forgotten]).when(forget).thenFails('customer_forgotten');
    });

    it('refuses to forget a customer that does not exist', () => {
      given([]).when(forget).thenFails('customer_not_found');
    });

    it('keeps no personal data once forgotten', () => {
      expect(given([registered, forgotten]).state()).toEqual({ status: 'forgotten', customerId, forgottenAt: at });
    });

    it('evolves a stream truncated down to its erasure into a forgotten customer', () => {
      expect(given([forgotten]).state()).toEqual({ status: 'forgotten', customerId, forgottenAt: at });
    });
  });
});
