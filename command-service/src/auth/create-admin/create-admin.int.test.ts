import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCommandApp, type CommandAppHarness } from '../../testing/command-app.js';

const MAIN = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

/** The built entry point, exactly as the image's ENTRYPOINT runs it: `node command-service/dist/main.js create-admin …`. */
function createAdmin(databaseUrl: string, args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('create-admin (the built command-service entry point, real Postgres)', () => {
  let app: CommandAppHarness;
  const accounts = async (): Promise<number> => Number((await app.pool.query<{ n: string }>('SELECT count(*) AS n FROM user_accounts')).rows[0]!.n);
  const login = (email: string, password: string): Promise<Response> => app.request('POST', '/api/auth/login', { body: { email, password } });

  beforeAll(async () => {
    app = await startCommandApp();
  }, 60_000);
  afterAll(() => app.close());

  it('creates an admin account from --email and the first line of stdin, prints one line and exits 0', async () => {
    const email = `ops-${randomUUID()}@example.com`;
    const run = await createAdmin(app.databaseUrl, ['create-admin', '--email', email], 'a strong admin passphrase\nignored second line\n');
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toContain(`created admin account ${email}`);
    const loggedIn = await login(email, 'a strong admin passphrase');
    expect(loggedIn.status).toBe(200);
    expect(await loggedIn.json()).toMatchObject({ role: 'admin' });
  });

  it('resets an existing account\'s password and role to admin, and revokes the tokens it held', async () => {
    const shopper = await app.newShopper();
    const { rows } = await app.pool.query<{ email: string }>('SELECT email FROM user_accounts WHERE customer_id = $1', [shopper.customerId]);
    const email = rows[0]!.email;
    const before = await accounts();
    const run = await createAdmin(app.databaseUrl, ['create-admin', `--email=${email.toUpperCase()}`], 'the new admin passphrase');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^reset account .* role admin, new password; its earlier tokens are revoked\n$/);
    expect(await accounts()).toBe(before);
    // The shopper's token died with the reset: a write with it is refused.
    const withOldToken = await app.request('POST', '/api/auth/logout', { token: shopper.token });
    expect(withOldToken.status).toBe(401);
    expect(await withOldToken.json()).toMatchObject({ code: 'unauthenticated' });
    expect((await login(email, 'a-long-enough-password')).status).toBe(401);
    expect(await (await login(email, 'the new admin passphrase')).json()).toMatchObject({ role: 'admin' });
  });

  it.each([
    ['no --email', ['create-admin'], 'a strong admin passphrase\n', /--email is required/],
    ['an invalid email', ['create-admin', '--email', 'not-an-email'], 'a strong admin passphrase\n', /not an email address/],
    ['an unknown option', ['create-admin', '--email', 'a@example.com', '--role', 'shopper'], 'a strong admin passphrase\n', /Unknown option '--role'/],
    ['an empty stdin', ['create-admin', '--email', 'a@example.com'], '', /no password/],
    ['a short password', ['create-admin', '--email', 'a@example.com'], 'short\n', /at least 12 characters/],
    ['a repository default password', ['create-admin', '--email', 'a@example.com'], 'shop-dev-password\n', /published default/],
    ['an unknown command', ['make-admin', '--email', 'a@example.com'], 'a strong admin passphrase\n', /unknown command "make-admin"/],
  ])('refuses %s with exit 2 and a message, writing nothing', async (_what, args, stdin, message) => {
    const before = await accounts();
    const run = await createAdmin(app.databaseUrl, args, stdin);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(message);
    expect(await accounts()).toBe(before);
  });

  it('exits 1 with the reason when the database cannot be reached', async () => {
    const run = await createAdmin('postgres://postgres@127.0.0.1:1/shop', ['create-admin', '--email', 'a@example.com'], 'a strong admin passphrase\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^create-admin: could not write the account: /);
  });
});
