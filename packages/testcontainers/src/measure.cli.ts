// `node packages/testcontainers/dist/measure.cli.js`: how long startShop() takes here — a fresh shop, then a reusable
// one started and found again — as a Markdown table on stdout (bench/results/testcontainers-start.md).
import { execFileSync } from 'node:child_process';
import { startShop } from './start-shop.js';

const seconds = (from: number): string => ((performance.now() - from) / 1000).toFixed(1);
const removeReused = (): void => {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', 'label=shop.testcontainers=reuse'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length > 0) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
};

const rows: string[] = [];
let t = performance.now();
const fresh = await startShop();
rows.push(`| first start, fresh shop (gateway included) | ${seconds(t)} s |`);
await fresh.stop();

removeReused();
t = performance.now();
const first = await startShop({ reuse: true });
rows.push(`| first start with \`reuse: true\` (nothing to reuse yet) | ${seconds(t)} s |`);
for (let i = 1; i <= 3; i++) {
  t = performance.now();
  const again = await startShop({ reuse: true });
  if (!again.reused) throw new Error('the second start did not reuse the shop');
  rows.push(`| reused start #${i} (a running shop found) | ${seconds(t)} s |`);
}
await first.stop();
removeReused();
process.stdout.write(`| what | time |\n|---|---|\n${rows.join('\n')}\n`);
