import { parseArgs } from 'node:util';
import { z } from 'zod';
import { KNOWN_DEFAULT_SECRETS } from '@shop/service-kit';

/**
 * `create-admin --email <email>`, password from the first line of standard input: the pure half (arguments and
 * input checks). Bad input is a `UsageError` (exit 2), so a script can tell it from a database failure (exit 1).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const CREATE_ADMIN_USAGE = 'usage: create-admin --email <email>   (the password is read from the first line of standard input)';

/** At least this long: an admin account guards every write of the shop. */
export const MIN_ADMIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1_024;

const Email = z.email().max(254);

export function parseCreateAdminArgs(args: readonly string[]): { email: string } {
  let values: { email?: string | undefined };
  try {
    ({ values } = parseArgs({ args: [...args], options: { email: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${CREATE_ADMIN_USAGE}`);
  }
  if (values.email === undefined) throw new UsageError(`--email is required\n${CREATE_ADMIN_USAGE}`);
  const email = Email.safeParse(values.email.trim());
  if (!email.success) throw new UsageError(`--email: "${values.email}" is not an email address`);
  return { email: email.data.toLowerCase() };
}

export function checkAdminPassword(password: string | undefined): string {
  if (password === undefined || password === '') throw new UsageError('no password: give it as the first line of standard input');
  if (password.length < MIN_ADMIN_PASSWORD_LENGTH) throw new UsageError(`the password must have at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new UsageError(`the password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  if (KNOWN_DEFAULT_SECRETS.has(password)) throw new UsageError('the password is a published default of this repository; choose another');
  return password;
}

/** The first line of a stream (without its line break), or undefined when the stream ends empty. Bounded. */
export async function readFirstLine(input: AsyncIterable<string | Buffer>, maxChars = MAX_PASSWORD_LENGTH + 2): Promise<string | undefined> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
    if (text.length > maxChars) throw new UsageError(`the password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  return text === '' ? undefined : text.replace(/\r$/, '');
}
