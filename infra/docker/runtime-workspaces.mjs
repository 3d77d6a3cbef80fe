// Run in the image build's prod-deps stage, before `npm install --omit=dev`: keeps only the workspaces a runtime
// image needs and drops every devDependencies block. Why: npm's `--omit=dev` still installs the production
// dependencies of every workspace it links, and the services' devDependency @shop/testing is a workspace whose
// production dependencies are testcontainers & co; npm's `-w` filter links it all the same. The lockfile still
// pins every version (npm install keeps its resolutions and prunes the rest).
import { readFileSync, writeFileSync } from 'node:fs';

const RUNTIME_WORKSPACES = [
  'packages/domain',
  'packages/kernel',
  'packages/read-models',
  'packages/service-kit',
  'command-service',
  'query-service',
  'projector',
];

const edit = (file, change) => {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  change(manifest);
  delete manifest.devDependencies;
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
};

edit('package.json', (root) => {
  root.workspaces = RUNTIME_WORKSPACES;
});
for (const workspace of RUNTIME_WORKSPACES) edit(`${workspace}/package.json`, () => undefined);
