import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { customerStreamId } from '@shop/domain';
import { decisionOn, handleCommand, type EventStore } from '@shop/kernel';
import { deleteAccount, insertShopperAccount } from '../../auth/user-accounts.js';
import { customerAggregate } from '../../commands/aggregates.js';

/** The email already has an account (409 email_taken at the HTTP edge). */
export class EmailTaken extends Error {
  override readonly name = 'EmailTaken';
  constructor() {
    super('Email already registered');
  }
}

export interface Registered {
  customerId: string;
  /** The position of CustomerRegistered. */
  lastPosition: bigint | undefined;
}

/**
 * Registration creates the login (user_accounts: credentials never go into the event log) and the customer
 * (CustomerRegistered). The account row comes first because its unique email is the check; if the event cannot
 * be appended the row is removed again, so a failed registration can simply be retried.
 */
export async function register(
  deps: { pool: pg.Pool; store: EventStore },
  input: { email: string; password: string; name: string },
  /** Read once the account exists (a taken email answers before any event has a correlation). */
  correlationId: () => string,
  now: Date,
): Promise<Registered> {
  const customerId = randomUUID();
  const accountId = randomUUID();
  if (!(await insertShopperAccount(deps.pool, { id: accountId, email: input.email, password: input.password, customerId }))) throw new EmailTaken();
  const command = { type: 'RegisterCustomer' as const, data: { customerId, email: input.email, name: input.name, registeredAt: now.toISOString() } };
  try {
    const outcome = await handleCommand(deps.store, decisionOn(customerStreamId(customerId), customerAggregate, command), {
      // The new account is the actor: registration is the one write made before there is a token.
      metadata: { correlationId: correlationId(), causationId: accountId, actor: { userId: accountId, role: 'shopper' } },
    });
    return { customerId, lastPosition: outcome.lastPosition };
  } catch (error) {
    await deleteAccount(deps.pool, accountId).catch(() => undefined);
    throw error;
  }
}
