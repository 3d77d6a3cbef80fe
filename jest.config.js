// One jest run over every workspace. Sources are TypeScript ES modules, compiled on the fly by swc;
// the type checker runs separately (`tsc -b`), so tests start in milliseconds.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' }, module: { type: 'es6' } }];

const sharedPackages = {
  '^@shop/(domain|kernel|read-models|service-kit|testing|client|testcontainers)$': '<rootDir>/packages/$1/src/index.ts',
  // The query service's analytics tests index their history with the projector's own projections.
  '^@shop/projector$': '<rootDir>/projector/src/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

// No KurrentDB server can run on the development machines: its contract suite runs only where KURRENTDB_URL
// points at a live server (docs/event-store.md). Its pure translation tests always run.
// Likewise no Elasticsearch server: the analytics contract suite runs against a live cluster only where
// ELASTICSEARCH_URL is set (docs/read-models.md); its SQL side and the mock-based tests always run.
const testPathIgnorePatterns = [
  '/node_modules/',
  ...(process.env.KURRENTDB_URL ? [] : ['kurrentdb-event-store\\.int\\.test\\.ts$']),
  ...(process.env.ELASTICSEARCH_URL ? [] : ['es-sales-report\\.int\\.test\\.ts$', 'log-store\\.live\\.int\\.test\\.ts$']),
  // The compose stack's own test builds every image and runs the whole stack (minutes): `npm run test:containers`.
  ...(process.env.SHOP_TEST_CONTAINERS === '1' ? [] : ['\\.containers\\.test\\.ts$']),
];

/** @type {import('jest').Config} */
export default {
  testTimeout: 30_000,
  projects: [
    'packages/domain',
    'packages/kernel',
    'packages/read-models',
    'packages/service-kit',
    'packages/testing',
    'packages/client',
    'packages/testcontainers',
    'command-service',
    'query-service',
    'projector',
    'stack',
    'bench',
    'web',
  ].map((dir) => ({
    displayName: dir.replace('packages/', ''),
    rootDir: '.',
    roots: [`<rootDir>/${dir}/src`],
    testMatch: ['**/*.test.ts'],
    testPathIgnorePatterns,
    extensionsToTreatAsEsm: ['.ts'],
    transform: { '^.+\\.tsx?$': swc },
    moduleNameMapper: sharedPackages,
    testEnvironment: 'node',
  })),
};
