import { z } from 'zod';

/**
 * Where integration tests get Postgres, Redis and NATS from. Read from the environment once per module instance
 * (under jest: once per test file).
 *
 * - `SHOP_TEST_INFRA=auto` (default): a throwaway container when a Docker engine answers and the image is present
 *   or can be pulled, else the local server (one line on stderr says which and why).
 * - `containers`: containers or a loud failure. `local`: the local servers, no Docker probe at all.
 */
const schema = z.object({
  SHOP_TEST_INFRA: z.enum(['auto', 'containers', 'local']).default('auto'),
  SHOP_TEST_POSTGRES_IMAGE: z.string().min(1).default('postgres:15'),
  SHOP_TEST_REDIS_IMAGE: z.string().min(1).default('redis:7'),
  SHOP_TEST_NATS_IMAGE: z.string().min(1).default('nats:2.9'),
  TEST_DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/postgres'),
  TEST_REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  TEST_NATS_URL: z.url().default('nats://127.0.0.1:4222'),
});

export type TestInfraConfig = z.infer<typeof schema>;
export type InfraMode = TestInfraConfig['SHOP_TEST_INFRA'];

/** Parses `env`; empty strings count as unset. Exported for tests; everything else uses {@link testInfraConfig}. */
export function parseTestInfraConfig(env: NodeJS.ProcessEnv): TestInfraConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`[testing] invalid test infrastructure configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: TestInfraConfig | undefined;

export function testInfraConfig(): TestInfraConfig {
  cached ??= parseTestInfraConfig(process.env);
  return cached;
}
