import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { runFaults } from './harness.js';
import { reportMarkdown, type FaultReport } from './report.js';
import { scenarios } from './scenarios.js';
import { repoPath } from '../paths.js';

// `npm run test:faults`: the short profile (CI, part of `npm test`); `npm run test:faults -- --full`: the whole matrix
// with the durations, leaving its report in bench/results/faults-<date>.md and .json. Exits 1 when any
// scenario broke an invariant. See docs/faults.md.
const full = process.argv.includes('--full');
// Interrupted: exit through 'exit', where the owned servers' process groups are killed (dependencies.ts).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const started = Date.now();
const say = (line: string): void => console.log(`[faults] ${line}`);

const results = await runFaults(scenarios(full), {
  warmupMs: full ? 5_000 : 1_500,
  concurrency: full ? 12 : 6,
  products: 20,
  digestAfterEach: full,
  say,
});
const report: FaultReport = {
  date: new Date().toISOString(),
  profile: full ? 'full' : 'short',
  seconds: (Date.now() - started) / 1000,
  machine: `${cpus().length} cores, Node ${process.version}`,
  results,
};
const markdown = reportMarkdown(report);
if (full) {
  const dir = repoPath('bench/results');
  mkdirSync(dir, { recursive: true });
  const name = `faults-${report.date.slice(0, 10)}`;
  writeFileSync(`${dir}/${name}.md`, markdown);
  writeFileSync(`${dir}/${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
  say(`report: bench/results/${name}.md (+ .json)`);
} else {
  console.log(markdown);
}
const failed = results.filter((r) => !r.ok).length;
say(failed ? `${failed} of ${results.length} scenarios broke an invariant` : `all ${results.length} scenarios kept every invariant (${report.seconds.toFixed(0)} s)`);
process.exitCode = failed ? 1 : 0;
