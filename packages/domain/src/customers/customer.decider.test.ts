import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '../shared/decider-spec.js';
import type { DomainErrorCode } from '../shared/domain-error.js';
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
  // What each command refuses, and with which code: a forgotten customer can never come back.
  it.each<[string, CustomerEvent[], CustomerCommand, DomainErrorCode]>([
    ['refuses to register a customer twice', [registered], register, 'customer_already_registered'],
    ['refuses to register a forgotten customer again', [registered, forgotten], register, 'customer_forgotten'],
    ['refuses to change a customer that does not exist', [], change({ name: 'Ada L.' }), 'customer_not_found'],
    ['refuses to change a forgotten customer', [registered, forgotten], change({ name: 'Ada L.' }), 'customer_forgotten'],
    ['refuses to forget a customer twice', [registered, forgotten], forget, 'customer_forgotten'],
    ['refuses to forget a customer that does not exist', [], forget, 'customer_not_found'],
  ])('%s', (_sentence, history, command, code) => {
    given(history).when(command).thenFails(code);
  });

  describe('RegisterCustomer', () => {
    it('registers a new customer', () => {
      given([]).when(register).then([registered]);
    });
  });

  describe('ChangeCustomerProfile', () => {
    type Profile = { name?: string; email?: string };
    // Registered as Ada, ada@example.com: the fields asked for, and the fields the one event records.
    it.each<[string, Profile, Profile]>([
      ['changes the name alone', { name: 'Ada L.' }, { name: 'Ada L.' }],
      ['changes the email alone', { email: 'ada@example.org' }, { email: 'ada@example.org' }],
      ['records both changes in one event', { name: 'Ada L.', email: 'ada@example.org' }, { name: 'Ada L.', email: 'ada@example.org' }],
      ['leaves out a field equal to the current one', { name: 'Ada', email: 'ada@example.org' }, { email: 'ada@example.org' }],
    ])('%s', (_sentence, asked, recorded) => {
      given([registered])
        .when(change(asked))
        .then([{ type: 'CustomerProfileChanged', data: { customerId, ...recorded } }]);
    });

    it('records nothing when nothing changes', () => {
      given([registered]).when(change({ name: 'Ada', email: 'ada@example.com' })).then([]);
    });

    it('records nothing when no field is given', () => {
      given([registered]).when(change({})).then([]);
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

    it('keeps no personal data once forgotten', () => {
      expect(given([registered, forgotten]).state()).toEqual({ status: 'forgotten', customerId, forgottenAt: at });
    });

    it('evolves a stream truncated down to its erasure into a forgotten customer', () => {
      expect(given([forgotten]).state()).toEqual({ status: 'forgotten', customerId, forgottenAt: at });
    });
  });
});
