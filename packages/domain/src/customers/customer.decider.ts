import { assertNever } from '../shared/exhaustive.js';
import { DomainError } from '../shared/domain-error.js';
import { CUSTOMER_EVENT_VERSIONS, CustomerEvent, customerStreamId } from './customer.events.js';
import type { AggregateDecider } from '../shared/aggregate-decider.js';

export type RegisteredCustomerState = { status: 'registered'; customerId: string; email: string; name: string; registeredAt: string };
/** A forgotten customer keeps no personal data: only that it existed, so its id can never be registered again. */
export type ForgottenCustomerState = { status: 'forgotten'; customerId: string; forgottenAt: string };
/** Plain JSON, because it is snapshotted. */
export type CustomerState = { status: 'absent' } | RegisteredCustomerState | ForgottenCustomerState;

export const initialCustomerState: CustomerState = { status: 'absent' };

/** Version of `CustomerState`'s shape, for snapshots: bump it whenever the shape changes. */
export const CUSTOMER_STATE_VERSION = 1;

export type RegisterCustomer = {
  type: 'RegisterCustomer';
  data: { customerId: string; email: string; name: string; registeredAt: string };
};
/** Absent fields stay as they are; fields equal to the current value are not a change. */
export type ChangeCustomerProfile = {
  type: 'ChangeCustomerProfile';
  data: { customerId: string; name?: string; email?: string };
};
export type ForgetCustomer = {
  type: 'ForgetCustomer';
  data: { customerId: string; forgottenAt: string };
};

export type CustomerCommand = RegisterCustomer | ChangeCustomerProfile | ForgetCustomer;

function requireRegistered(state: CustomerState, customerId: string): RegisteredCustomerState {
  if (state.status === 'absent') throw new DomainError('customer_not_found', `Customer ${customerId} does not exist`);
  if (state.status === 'forgotten') throw new DomainError('customer_forgotten', `Customer ${customerId} has been forgotten`);
  return state;
}

/** Pure: the events a command produces from the current state, or the domain error that forbids it. */
export function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'RegisterCustomer': {
      if (state.status === 'forgotten') throw new DomainError('customer_forgotten', `Customer ${command.data.customerId} has been forgotten`);
      if (state.status === 'registered') {
        throw new DomainError('customer_already_registered', `Customer ${command.data.customerId} is already registered`);
      }
      return [{ type: 'CustomerRegistered', data: { ...command.data } }];
    }
    case 'ChangeCustomerProfile': {
      const { customerId, name, email } = command.data;
      const customer = requireRegistered(state, customerId);
      const changedName = name !== undefined && name !== customer.name;
      const changedEmail = email !== undefined && email !== customer.email;
      if (!changedName && !changedEmail) return [];
      return [
        {
          type: 'CustomerProfileChanged',
          data: { customerId, ...(changedName ? { name } : {}), ...(changedEmail ? { email } : {}) },
        },
      ];
    }
    case 'ForgetCustomer': {
      const { customerId, forgottenAt } = command.data;
      requireRegistered(state, customerId);
      return [{ type: 'CustomerForgotten', data: { customerId, forgottenAt } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered': {
      if (state.status !== 'absent') throw new Error(`CustomerRegistered cannot apply to customer ${event.data.customerId}: it already exists`);
      return { status: 'registered', ...event.data };
    }
    case 'CustomerProfileChanged': {
      if (state.status !== 'registered') {
        throw new Error(`CustomerProfileChanged cannot apply to customer ${event.data.customerId}: it is ${state.status}`);
      }
      return { ...state, name: event.data.name ?? state.name, email: event.data.email ?? state.email };
    }
    case 'CustomerForgotten':
      // Deliberately rebuilt rather than spread: nothing personal may survive into the new state. Accepted from an
      // absent state too, because erasure may truncate the stream down to this one event.
      return { status: 'forgotten', customerId: event.data.customerId, forgottenAt: event.data.forgottenAt };
    default:
      return assertNever(event);
  }
}

/** The customer aggregate's decider as one value (see AggregateDecider). */
export const customerDecider: AggregateDecider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: initialCustomerState, evolve: evolveCustomer, decide: decideCustomer, events: CustomerEvent, eventVersions: CUSTOMER_EVENT_VERSIONS,
};

/**
 * A customer's GDPR erasure, as @shop/kernel's `eraseSubject` runs it: the data key shredded is the customer's (their
 * personal fields are encrypted under their id), and CustomerForgotten records it in their stream, once.
 */
export const customerErasure = (customerId: string, forgottenAt: string) => ({
  subject: customerId,
  streamId: customerStreamId(customerId),
  decider: customerDecider,
  command: { type: 'ForgetCustomer', data: { customerId, forgottenAt } } satisfies ForgetCustomer as CustomerCommand,
  isErased: (state: CustomerState): boolean => state.status === 'forgotten',
});
