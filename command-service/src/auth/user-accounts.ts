import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
import { customerStreamId, isDomainError } from '@shop/domain';
import { decisionOn, handleCommand, type EventStore } from '@shop/kernel';
import type { Role } from '@shop/service-kit';
import { customerAggregate } from '../commands/aggregates.js';

export interface UserAccount {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  customerId: string | null;
  /** Tokens issued under another version are refused (see init.sql, user_accounts.token_version). */
  tokenVersion: number;
}

// argon2id with the OWASP-recommended minimum (19 MiB, t=2, p=1).
const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

export async function findAccountByEmail(pool: pg.Pool, email: string): Promise<UserAccount | undefined> {
  const result = await pool.query<{ id: string; email: string; password_hash: string; role: Role; customer_id: string | null; token_version: number }>(
    'SELECT id, email, password_hash, role, customer_id, token_version FROM user_accounts WHERE email = $1',
    [email.toLowerCase()],
  );
  const row = result.rows[0];
  return row && { id: row.id, email: row.email, passwordHash: row.password_hash, role: row.role, customerId: row.customer_id, tokenVersion: row.token_version };
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === '23505';

/** A shopper's login for a new customer; false when the email is taken (`user_accounts.email` is unique). */
export async function insertShopperAccount(pool: pg.Pool, account: { id: string; email: string; password: string; customerId: string }): Promise<boolean> {
  try {
    await pool.query("INSERT INTO user_accounts (id, email, password_hash, role, customer_id) VALUES ($1, $2, $3, 'shopper', $4)", [
      account.id,
      account.email,
      await hashPassword(account.password),
      account.customerId,
    ]);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export async function deleteAccount(pool: pg.Pool, accountId: string): Promise<void> {
  await pool.query('DELETE FROM user_accounts WHERE id = $1', [accountId]);
}

/** Erasure: the customer's login goes with their data key (in the same transaction, `tx`). */
export async function deleteLoginsOf(tx: pg.ClientBase, customerId: string): Promise<void> {
  await tx.query('DELETE FROM user_accounts WHERE customer_id = $1', [customerId]);
}

/** Logout: every token of the account issued so far stops working (all its sessions, not only this one). */
export async function revokeTokens(pool: pg.Pool, userId: string): Promise<void> {
  await pool.query('UPDATE user_accounts SET token_version = token_version + 1 WHERE id = $1', [userId]);
}

/**
 * Creates the admin account, or resets that account's password and role to admin; either way any token it held is
 * revoked (the version moves). Answers whether the account was created.
 */
export async function upsertAdmin(pool: pg.Pool, email: string, password: string): Promise<{ id: string; created: boolean }> {
  const passwordHash = await hashPassword(password);
  const { rows } = await pool.query<{ id: string; created: boolean }>(
    `INSERT INTO user_accounts (id, email, password_hash, role) VALUES ($1, $2, $3, 'admin')
     ON CONFLICT (email) DO UPDATE
       SET password_hash = EXCLUDED.password_hash, role = 'admin', token_version = user_accounts.token_version + 1
     RETURNING id, (xmax = 0) AS created`,
    [crypto.randomUUID(), email.toLowerCase(), passwordHash],
  );
  return rows[0]!;
}

// A real hash of a random password: verifying unknown emails against it costs the same time as a real
// account, so response timing does not reveal which emails exist.
const decoyHash = hashPassword(crypto.randomUUID());

/** The account if `password` is right for `email`, otherwise undefined; constant work either way. */
export async function checkCredentials(pool: pg.Pool, email: string, password: string): Promise<UserAccount | undefined> {
  const account = await findAccountByEmail(pool, email);
  const ok = await verify(account?.passwordHash ?? (await decoyHash), password);
  return ok && account ? account : undefined;
}

export const DEV_ACCOUNTS: ReadonlyArray<{ email: string; role: Role }> = [
  { email: 'admin@shop.local', role: 'admin' },
  { email: 'auditor@shop.local', role: 'auditor' },
  { email: 'analyst@shop.local', role: 'analyst' },
  { email: 'shopper@shop.local', role: 'shopper' },
];

/**
 * Local development only: (re)creates the dev accounts with the given password, and registers the dev shopper as a
 * customer (CustomerRegistered) the first time, so it can place orders like any registered shopper.
 */
export async function seedDevAccounts(pool: pg.Pool, store: EventStore, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  for (const { email, role } of DEV_ACCOUNTS) {
    const { rows } = await pool.query<{ id: string; customer_id: string | null }>(
      `INSERT INTO user_accounts (id, email, password_hash, role, customer_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
         -- A role change revokes the account's tokens; a re-seed with the same role keeps sessions across restarts.
         token_version = user_accounts.token_version + (user_accounts.role <> EXCLUDED.role)::int
       RETURNING id, customer_id`,
      [crypto.randomUUID(), email, passwordHash, role, role === 'shopper' ? crypto.randomUUID() : null],
    );
    const account = rows[0]!;
    if (role !== 'shopper' || !account.customer_id) continue;
    const customerId = account.customer_id;
    const command = { type: 'RegisterCustomer' as const, data: { customerId, email, name: 'Dev Shopper', registeredAt: new Date().toISOString() } };
    await handleCommand(store, decisionOn(customerStreamId(customerId), customerAggregate, command), {
      metadata: { correlationId: 'dev-seed', causationId: 'dev-seed', actor: { system: 'dev-seed' } },
    }).catch((error: unknown) => {
      if (!(isDomainError(error) && error.code === 'customer_already_registered')) throw error;
    });
  }
}
