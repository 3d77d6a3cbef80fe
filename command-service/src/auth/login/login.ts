import type pg from 'pg';
import type { Role, TokenService } from '@shop/service-kit';
import { checkCredentials } from '../user-accounts.js';

export interface SignedIn {
  token: string;
  role: Role;
  customerId?: string;
}

/**
 * Signs in: the account's token (Ed25519, carrying its token version, so a logout revokes it) when the password is
 * right for the email, else undefined. Constant work either way (`checkCredentials`); throttling is the route's.
 */
export async function signIn(deps: { pool: pg.Pool; tokens: TokenService }, credentials: { email: string; password: string }): Promise<SignedIn | undefined> {
  const found = await checkCredentials(deps.pool, credentials.email, credentials.password);
  if (!found) return undefined;
  const customer = found.customerId ? { customerId: found.customerId } : {};
  const token = await deps.tokens.issue({ userId: found.id, role: found.role, tokenVersion: found.tokenVersion, ...customer });
  return { token, role: found.role, ...customer };
}
