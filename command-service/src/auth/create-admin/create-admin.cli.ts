import { createPool } from '@shop/kernel';
import { upsertAdmin } from '../user-accounts.js';
import { checkAdminPassword, parseCreateAdminArgs, readFirstLine, UsageError } from './create-admin.js';

export interface CliIo {
  stdin: AsyncIterable<string | Buffer>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * `node command-service/dist/main.js create-admin --email <email>`: creates the admin account, or resets that
 * account's password and role (revoking its tokens). Prints one line. Exit codes: 0 done, 2 bad input, 1 failure.
 */
export async function runCreateAdmin(args: readonly string[], databaseUrl: string, io: CliIo): Promise<number> {
  let email: string;
  let password: string;
  try {
    ({ email } = parseCreateAdminArgs(args));
    password = checkAdminPassword(await readFirstLine(io.stdin));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`create-admin: ${error.message}\n`);
    return 2;
  }
  const pool = createPool(databaseUrl, { max: 1, applicationName: 'create-admin' });
  try {
    const account = await upsertAdmin(pool, email, password);
    io.stdout.write(
      account.created
        ? `created admin account ${email} (id ${account.id})\n`
        : `reset account ${email} (id ${account.id}): role admin, new password; its earlier tokens are revoked\n`,
    );
    return 0;
  } catch (error) {
    // The database's message only (no connection string, no password): e.g. unreachable, or the schema not applied.
    io.stderr.write(`create-admin: could not write the account: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}
