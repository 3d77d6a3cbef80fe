// The layer rules (.dependency-cruiser.cjs, run by `npm run lint`) can fail: a small tree laid out like this
// repository, with one breach of each rule beside the imports each rule must allow, is cruised by the same command and
// configuration as `npm run lint:layers`, and exactly the breaches are reported.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');

/** Path → source. Each breach is commented with the rule it breaks; everything else must pass. */
const TREE: Record<string, string> = {
  'packages/domain/src/index.ts': `export const domain = 1;\n`,
  'packages/domain/src/leak.ts': `import { port } from '@shop/kernel'; // breach: domain-depends-on-nothing-of-ours\nexport const leak = port;\n`,
  'packages/kernel/src/index.ts': `export { port } from './event-store/event-store.port.js';\n`,
  'packages/kernel/src/event-store/event-store.port.ts': `export const port = 1;\n`,
  'packages/kernel/src/event-store/postgres-event-store.ts': `import { port } from './event-store.port.js';\nexport const postgres = port;\n`,
  'packages/kernel/src/event-store/kurrentdb-event-store.ts':
    `import { port } from './event-store.port.js';\nimport { postgres } from './postgres-event-store.js'; // breach: no-adapter-on-another-adapter\nexport const kurrent = port + postgres;\n`,
  'packages/testing/src/index.ts': `import { port } from '@shop/kernel';\nexport const harness = port;\n`,
  'packages/read-models/src/index.ts': `import { projector } from '@shop/projector'; // breach: no-package-on-a-service\nexport const model = projector;\n`,
  'command-service/src/index.ts': `export const commands = 1;\n`,
  'command-service/src/http/preconditions.ts': `export const ifMatch = 1;\n`,
  'command-service/src/main.ts': `import { ifMatch } from './http/preconditions.js';\nimport { port } from '@shop/kernel';\nexport const main = ifMatch + port;\n`,
  'command-service/src/app.ts': `import { harness } from '@shop/testing'; // breach: production-not-on-test-code\nexport const app = harness;\n`,
  'command-service/src/orders/place-order/place-order.ts':
    `import { ifMatch } from '../../http/preconditions.js'; // breach: use-cases-not-on-http\nexport const placeOrder = ifMatch;\n`,
  'command-service/src/orders/place-order/place-order.http.ts':
    `import { ifMatch } from '../../http/preconditions.js';\nimport { placeOrder } from './place-order.js';\nexport const route = ifMatch + placeOrder;\n`,
  'command-service/src/orders/place-order/place-order.http.test.ts':
    `import { route } from './place-order.http.js';\nimport { harness } from '@shop/testing';\nexport const checked = route + harness;\n`,
  'command-service/src/orders/cancel-order/cancel-order.ts':
    `import { route } from '../place-order/place-order.http.js'; // breach: use-cases-not-on-http\nexport const cancel = route;\n`,
  'command-service/src/reach.ts': `import { domain } from '../../packages/domain/src/index.js'; // breach: no-reaching-out-of-a-workspace\nexport const reach = domain;\n`,
  'projector/src/index.ts': `export const projector = 1;\n`,
  'projector/src/ping.ts': `import { pong } from './pong.js'; // breach: no-circular (the cycle is reported once)\nexport const ping = (): number => pong();\n`,
  'projector/src/pong.ts': `import { ping } from './ping.js';\nexport const pong = (): number => ping();\n`,
  'projector/src/state.ts': `import type { Slice } from './slice.js';\nexport interface State { slice?: Slice }\n`,
  'projector/src/slice.ts': `import type { State } from './state.js';\nexport interface Slice { state?: State }\n`,
  'query-service/src/index.ts': `export const queries = 1;\n`,
  'query-service/src/analytics/sales.ts': `import { projector } from '@shop/projector'; // breach: no-service-on-another-service\nexport const sales = projector;\n`,
  'query-service/src/analytics/sales.int.test.ts': `import { projector } from '@shop/projector';\nimport { harness } from '@shop/testing';\nexport const held = projector + harness;\n`,
  'query-service/src/orders/orders.int.test.ts':
    `import { commands } from '@shop/command-service'; // breach: query-service-tests-only-on-the-projector\nexport const other = commands;\n`,
  'stack/src/main.ts': `import { gone } from './gone.js'; // breach: not-to-unresolvable\nexport const stack = gone;\n`,
};

let fixture: string;

beforeAll(() => {
  fixture = mkdtempSync(join(tmpdir(), 'shop-layer-rules-'));
  for (const [path, source] of Object.entries(TREE)) {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), source);
  }
  for (const file of ['tsconfig.base.json', 'tsconfig.depcruise.json']) copyFileSync(join(ROOT, file), join(fixture, file));
});

afterAll(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
});

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

it('reports exactly the breaches of the layer rules, and allows what the rules allow', async () => {
  const breaches = Object.entries(TREE).flatMap(([path, source]) =>
    [...source.matchAll(/breach: ([a-z-]+)/g)].map((match) => `${match[1]}: ${path}`),
  );
  // The same command as `npm run lint:layers`; it exits with the number of errors, so its output is read either way.
  const output = await promisify(execFile)(process.execPath, [DEPCRUISE, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', 'packages', 'command-service', 'query-service', 'projector', 'stack'], { cwd: fixture })
    .then(({ stdout }) => stdout)
    .catch((error: { stdout?: string }) => error.stdout ?? '');
  const { summary } = JSON.parse(output) as { summary: { violations: Violation[] } };

  expect(summary.violations.map((v) => `${v.rule.name}: ${v.from}`).sort()).toEqual(breaches.sort());
});
