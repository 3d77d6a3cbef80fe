import type pg from 'pg';
import { z } from 'zod';
import type { MigrationRun } from './migrations.js';
import { applySchema } from './schema.js';

/**
 * The application roles the schema creates (NOLOGIN until given a password): one per service, each with only the
 * grants its job needs (0900-roles-and-grants.sql). `events` is append-only for all three.
 */
export const APPLICATION_ROLES = ['shop_command', 'shop_projector', 'shop_query'] as const;
export type ApplicationRole = (typeof APPLICATION_ROLES)[number];

/** Which environment variable gives each role its password (compose's `.env`). */
export const ROLE_PASSWORD_ENV: Record<ApplicationRole, string> = {
  shop_command: 'COMMAND_DB_PASSWORD',
  shop_projector: 'PROJECTOR_DB_PASSWORD',
  shop_query: 'QUERY_DB_PASSWORD',
};

// An empty variable means "not set" (compose passes `${VAR:-}` through as an empty string).
const optionalPassword = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().min(16, 'a role password must be at least 16 characters').optional(),
);

export const MigrateConfig = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (the owner role, e.g. postgres://postgres:…@postgres:5432/shop)'),
  COMMAND_DB_PASSWORD: optionalPassword,
  PROJECTOR_DB_PASSWORD: optionalPassword,
  QUERY_DB_PASSWORD: optionalPassword,
});
export type MigrateConfig = z.infer<typeof MigrateConfig>;

export type RolePasswords = Partial<Record<ApplicationRole, string>>;

export function rolePasswordsOf(config: MigrateConfig): RolePasswords {
  const passwords: RolePasswords = {};
  for (const role of APPLICATION_ROLES) {
    const value = config[ROLE_PASSWORD_ENV[role] as keyof MigrateConfig];
    if (value) passwords[role] = value;
  }
  return passwords;
}

/**
 * Gives each named role LOGIN and its password; roles not named keep what they had (NOLOGIN on a fresh schema).
 * The statement is built by the server's own quoting (format %I / %L): ALTER ROLE takes no bind parameters.
 */
export async function setRolePasswords(pool: pg.Pool, passwords: RolePasswords): Promise<ApplicationRole[]> {
  const changed: ApplicationRole[] = [];
  for (const role of APPLICATION_ROLES) {
    const password = passwords[role];
    if (password === undefined) continue;
    const { rows } = await pool.query<{ sql: string }>("SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS sql", [role, password]);
    await pool.query(rows[0]!.sql);
    changed.push(role);
  }
  return changed;
}

/** The migrate step: the schema (through the migration runner), then the roles' passwords. */
export async function migrate(pool: pg.Pool, passwords: RolePasswords): Promise<{ schema: MigrationRun; loginRoles: ApplicationRole[] }> {
  const schema = await applySchema(pool);
  return { schema, loginRoles: await setRolePasswords(pool, passwords) };
}
