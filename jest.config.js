// One jest run over every workspace. Sources are TypeScript ES modules, compiled on the fly by swc;
// the type checker runs separately (`tsc -b`), so tests start in milliseconds.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' }, module: { type: 'es6' } }];

const sharedPackages = {
  '^@shop/(domain|kernel|read-models|service-kit|testing)$': '<rootDir>/packages/$1/src/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

// No KurrentDB server can run on the development machines: its contract suite runs only where KURRENTDB_URL
// points at a live server (docs/event-store.md). Its pure translation tests always run.
const testPathIgnorePatterns = process.env.KURRENTDB_URL ? ['/node_modules/'] : ['/node_modules/', 'kurrentdb-event-store\\.int\\.test\\.ts$'];

/** @type {import('jest').Config} */
export default {
  testTimeout: 30_000,
  projects: [
    'packages/domain',
    'packages/kernel',
    'packages/read-models',
    'packages/service-kit',
    'packages/testing',
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
