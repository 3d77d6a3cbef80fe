import { Redis } from 'ioredis';
import { z } from 'zod';
import { applySchema, createPool, PostgresEventStore } from '@shop/kernel';
import { loadConfig } from '@shop/service-kit';
import { PROJECTIONS } from './projections/index.js';
import { redriveDeadLetters } from './runner/redrive.js';

// `npm run projections -- redrive <projection>`: operations on projections, from a shell.
const Config = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/shop'),
  REDIS_URL: z.string().optional(),
});

const usage = `Usage: npm run projections -- redrive <projection>
  redrive   apply the projection's dead letters again, oldest first (after fixing what made them fail)
Projections: ${Object.keys(PROJECTIONS).join(', ')}
Settings: DATABASE_URL, REDIS_URL (stale cache entries are deleted when set)`;

const [command, name] = process.argv.slice(2);
const projection = name ? PROJECTIONS[name] : undefined;
if (command !== 'redrive' || !projection) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfig(Config);
const pool = createPool(config.DATABASE_URL, { max: 2, applicationName: 'projections-cli' });
const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 }) : undefined;
try {
  // Idempotent, and it makes sure the dead-letter table exists even if no service has started since an upgrade.
  await applySchema(pool);
  const result = await redriveDeadLetters(
    pool,
    new PostgresEventStore(pool),
    projection,
    async (keys) => void (await redis?.del(...keys)),
    (line) => console.log(`[projections] ${line}`),
  );
  process.exitCode = result.failedAt ? 1 : 0;
} finally {
  redis?.disconnect();
  await pool.end();
}
