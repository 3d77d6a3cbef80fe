// The layer rules, checked on every `npm run lint` (`npm run lint:layers` alone). Each rule names what it protects;
// `npm run lint:layers` prints every dependency that breaks one, as `rule: from → to`, and exits non-zero.
// Paths are relative to the repository root. `@shop/<name>` resolves to the workspace's source (tsconfig.depcruise.json).

/** The deployables: each runs as its own process and talks to the others over HTTP, NATS or the database only. */
const SERVICES = '(command-service|query-service|projector|stack|web)';
/** Every workspace folder; a relative import never leaves the one it is written in. */
const WORKSPACE = '^(packages/[^/]+|command-service|query-service|projector|stack|web|bench)/';

/**
 * Code that exists for tests: the test files themselves, the contract suites every adapter of a port must pass, the
 * services' `src/testing/` helpers, and the two test-support packages (@shop/testing for this repository's suites,
 * @shop/testcontainers for downstream teams' suites).
 */
const TEST_CODE = ['\\.test\\.tsx?$', '\\.contract\\.ts$', '^[^/]+/src/testing/', '^packages/(testing|testcontainers)/'];

/** An `http/` folder anywhere in the command service (two patterns: a nested optional group reads as an unsafe regex). */
const HTTP_FOLDER = ['^command-service/src/http/', '^command-service/src/.+/http/'];

/** The query service's test code: the one place allowed to import another deployable (the projector; rules below). */
const QUERY_SERVICE_TESTS = ['^query-service/src/.+\\.test\\.ts$', '^query-service/src/.+\\.contract\\.ts$', '^query-service/src/testing/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-depends-on-nothing-of-ours',
      comment:
        'The domain (events, commands, deciders) is pure and depends on no other package of ours, nor on any file ' +
        'outside packages/domain: everything else depends on it, never the other way round.',
      severity: 'error',
      from: { path: '^packages/domain/' },
      to: { pathNot: ['^packages/domain/', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'use-cases-not-on-http',
      comment:
        'In the command service a use case (`<use-case>.ts`) knows nothing of HTTP: only its `<use-case>.http.ts`, ' +
        'the files under an `http/` folder, app.ts and main.ts (and the tests of `.http.ts` files) may import ' +
        'from `http/` or from a `.http.ts` file.',
      severity: 'error',
      from: {
        path: '^command-service/src/',
        pathNot: ['\\.http\\.ts$', '\\.http\\.(int\\.)?test\\.ts$', '^command-service/src/(app|main)\\.ts$', ...HTTP_FOLDER],
      },
      to: { path: [...HTTP_FOLDER, '^command-service/src/.+\\.http\\.ts$'] },
    },
    {
      name: 'no-adapter-on-another-adapter',
      comment:
        'Adapters of one port stand side by side: the Postgres, KurrentDB and in-memory event stores (and the SQL ' +
        'and Elasticsearch sales reports) share only the port and helpers beside it, never each other\'s code.',
      severity: 'error',
      from: { path: '^(packages/kernel/src/event-store/|query-service/src/analytics/)[^/]+-(event-store|sales-report)\\.ts$' },
      to: { path: '^$1[^/]+-$2\\.ts$' },
    },
    {
      name: 'no-service-on-another-service',
      comment:
        `The deployables ${SERVICES} share code only through packages/* (and stack starts the others by path, as ` +
        'processes). bench measures them and may import them; no deployable imports bench.',
      severity: 'error',
      from: { path: `^${SERVICES}/`, pathNot: QUERY_SERVICE_TESTS },
      to: { path: `^(${SERVICES}|bench)/`, pathNot: '^$1/' },
    },
    {
      name: 'query-service-tests-only-on-the-projector',
      comment:
        'The one exception to no-service-on-another-service, for tests only: the query service\'s analytics tests ' +
        'index their history with the projector\'s own projections (jest maps @shop/projector for them), so what the ' +
        'query service reads is held to what the projector really writes. Its production code may not.',
      severity: 'error',
      from: { path: QUERY_SERVICE_TESTS },
      to: { path: '^(command-service|stack|web|bench)/' },
    },
    {
      name: 'no-package-on-a-service',
      comment: 'Shared packages sit under the deployables: no arrow points up from packages/* to a service or to bench.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: `^(${SERVICES}|bench)/` },
    },
    {
      name: 'no-reaching-out-of-a-workspace',
      comment:
        'Relative imports stay inside their workspace; across workspaces, import the package by name (@shop/…). ' +
        '(File references such as `new URL(\'../../..\', import.meta.url)` are not imports and are not checked.)',
      severity: 'error',
      from: { path: WORKSPACE },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], pathNot: '^$1/' },
    },
    {
      name: 'production-not-on-test-code',
      comment: 'Tests may import @shop/testing, contract suites and testing helpers; production code may not.',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'no-circular',
      comment:
        'No module reaches itself again through its imports, within a workspace or across them. A cycle closed only ' +
        'by type imports is erased at compile time and allowed: the web app types its API slice with the session ' +
        'state whose reducer listens to that slice (the usual Redux Toolkit shape).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves: a rule cannot judge a dependency it cannot see.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // A type-only import is a dependency of the layer as much as a value import.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
