// `npm start` on a fresh clone: install the workspace if it is not installed, build it, then run the stack.
// Plain JavaScript on purpose: it must run before any dependency or compiled file exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, what) {
  console.log(`[shop] ${what}…`);
  const started = Date.now();
  const result = spawnSync(npm, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`[shop] ${what} failed (npm ${args.join(' ')} exited with ${result.status ?? result.signal})`);
    process.exit(1);
  }
  console.log(`[shop] ${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (!existsSync(`${root}/node_modules/.package-lock.json`)) run(['ci', '--no-audit', '--no-fund'], 'installing dependencies (npm ci)');
run(['run', 'build', '--silent'], 'building');
await import('./dist/main.js');
