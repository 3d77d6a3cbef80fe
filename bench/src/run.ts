/**
 * `npm run bench [-- <suite>…]`: runs the named suites (all without names), merges their figures into
 * bench/results/latest.json and appends a report to bench/results/<UTC date>.md.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { cpus, arch, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { commandLine, parseArgs } from './args.js';
import { formatFigures, mergeFigures, parseFigures, toFigure, type Figure } from './figures.js';
import { DEFAULT_DATABASE_URL, serverVersion } from './postgres.js';
import { formatValue, reportAppendix, reportFileName, type GaugeReading, type MachineFacts, type SuiteReport } from './report.js';
import { median } from './stats.js';
import { SUITES } from './suites/index.js';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

function usage(): string {
  return [
    'Usage: npm run bench [-- <suite>…]   (no suite: all of them)',
    '',
    'Suites:',
    ...SUITES.map((suite) => `  ${suite.name.padEnd(14)} ${suite.description}`),
    '',
    `Settings: DATABASE_URL (default ${DEFAULT_DATABASE_URL}): the PostgreSQL server; suites create and drop their own databases.`,
  ].join('\n');
}

async function machineFacts(databaseUrl: string): Promise<MachineFacts> {
  const cores = cpus();
  let postgres: string;
  try {
    postgres = await serverVersion(databaseUrl);
  } catch (error) {
    postgres = `unreachable at ${new URL(databaseUrl).host} (${error instanceof Error ? error.message : String(error)})`;
  }
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpuCount: cores.length,
    node: process.version,
    platform: `${platform()} ${arch()} (kernel ${release()})`,
    postgres,
  };
}

const LATEST = `${RESULTS_DIR}latest.json`;
const GAUGE = 'commands.gauge.healthz';

async function readLatest(): Promise<Figure[]> {
  return existsSync(LATEST) ? parseFigures(await readFile(LATEST, 'utf8')) : [];
}

async function mergeIntoLatest(existing: readonly Figure[], figures: readonly Figure[]): Promise<string> {
  await writeFile(`${LATEST}.tmp`, formatFigures(mergeFigures(existing, figures)));
  await rename(`${LATEST}.tmp`, LATEST);
  return LATEST;
}

/** The speed gauge to name beside this run's ratios: the one a suite of this run measured, else the last one known. */
function runGauge(reports: readonly SuiteReport[], existing: readonly Figure[]): GaugeReading | undefined {
  const measured = reports.find((report) => report.result.gauge);
  const gauge = measured?.result.gauge;
  if (measured && gauge) return { name: gauge.name, unit: gauge.unit, value: median(gauge.rounds), source: `median of this run's ${measured.name} rounds` };
  const known = existing.find((figure) => figure.name === GAUGE);
  return known ? { name: known.name, unit: known.unit, value: known.value, source: 'not measured in this run: the last value in latest.json' } : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(
    argv,
    SUITES.map((suite) => suite.name),
  );
  if (parsed.kind === 'help') {
    console.log(usage());
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`${parsed.message}\n\n${usage()}`);
    return 2;
  }

  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const startedAt = new Date();
  const started = performance.now();
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`;
  const machine = await machineFacts(databaseUrl);
  console.log(`[${elapsed()}] ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}; ${machine.postgres}`);

  const reports: SuiteReport[] = [];
  let failed = false;
  for (const name of parsed.suites) {
    const suite = SUITES.find((s) => s.name === name)!;
    const suiteStarted = performance.now();
    console.log(`[${elapsed()}] ${name}: starting`);
    try {
      const result = await suite.run({ databaseUrl, progress: (message) => console.log(`[${elapsed()}] ${name}: ${message}`) });
      const seconds = (performance.now() - suiteStarted) / 1000;
      reports.push({ name, result, seconds });
      console.log(`[${elapsed()}] ${name}: done in ${seconds.toFixed(0)} s`);
    } catch (error) {
      failed = true;
      console.error(`[${elapsed()}] ${name}: FAILED`, error);
    }
  }
  if (reports.length === 0) return 1;

  const figures = reports.flatMap((report) => report.result.measurements.map(toFigure));
  await mkdir(RESULTS_DIR, { recursive: true });
  const existing = await readLatest();
  const latest = await mergeIntoLatest(existing, figures);
  const run = { startedAt, gauge: runGauge(reports, existing), seconds: (performance.now() - started) / 1000, command: commandLine(argv, process.env), machine, suites: reports };
  const reportFile = `${RESULTS_DIR}${reportFileName(startedAt)}`;
  await appendFile(reportFile, reportAppendix(run, existsSync(reportFile)));

  console.log('');
  for (const figure of figures) {
    const peer = figure.peer === undefined ? '' : `   peer ${formatValue(figure.peer, figure.unit)}   ours/peer ${figure.ratio?.toFixed(2) ?? '—'}`;
    console.log(`${figure.name.padEnd(30)} ${formatValue(figure.value, figure.unit).padStart(10)} ${figure.unit.padEnd(8)}${peer}`);
  }
  console.log(`\nMerged ${figures.length} figures into ${latest}; report appended to ${reportFile}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
