// The compose stack's `migrate` container: applies the schema files not yet applied (schema.ts, through the
// migration runner) with the owner's DATABASE_URL, sets the application roles' passwords from COMMAND_DB_PASSWORD /
// PROJECTOR_DB_PASSWORD / QUERY_DB_PASSWORD, and exits (0 done, 2 bad settings, 1 the database refused). The services start only after it completed successfully.
import { createPool } from './pool.js';
import { migrate, MigrateConfig, rolePasswordsOf } from './migrate.js';

const parsed = MigrateConfig.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`migrate: ${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}
const pool = createPool(parsed.data.DATABASE_URL, { max: 1, applicationName: 'migrate' });
try {
  const { schema, loginRoles } = await migrate(pool, rolePasswordsOf(parsed.data));
  const applied = schema.applied.length ? schema.applied.join(', ') : 'none';
  console.log(`migrate: schema applied (new files: ${applied}; ${schema.skipped.length} applied before)`);
  console.log(`migrate: login enabled for ${loginRoles.length ? loginRoles.join(', ') : 'no application role (no *_DB_PASSWORD set)'}`);
} catch (error) {
  console.error(`migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
