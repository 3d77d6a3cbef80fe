import { toFigure, type Figure, type Measurement } from './figures.js';
import { median } from './stats.js';
import type { SuiteResult } from './suite.js';

export interface MachineFacts {
  cpuModel: string;
  cpuCount: number;
  node: string;
  platform: string;
  postgres: string;
}

export interface SuiteReport {
  name: string;
  result: SuiteResult;
  seconds: number;
}

/** The machine's speed gauge named beside a run's ratios: measured in the run, or the last one known. */
export interface GaugeReading {
  name: string;
  unit: string;
  value: number;
  /** Where it comes from, e.g. "median of this run's commands rounds" or "an earlier run (latest.json)". */
  source: string;
}

export interface RunReport {
  startedAt: Date;
  gauge?: GaugeReading;
  seconds: number;
  command: string;
  machine: MachineFacts;
  suites: SuiteReport[];
}

/** The report file of a run: one per UTC day, runs appended. */
export function reportFileName(date: Date): string {
  return `${date.toISOString().slice(0, 10)}.md`;
}

export function reportFileHeader(date: Date): string {
  return `# Benchmarks ${date.toISOString().slice(0, 10)}\n\nRuns of \`npm run bench\` on this day (UTC), oldest first. Figures are medians over rounds; ` +
    'the peer was measured in the same run, on the same PostgreSQL server.\n';
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const hundredths = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A number for a table cell: whole events per second with thousands separators, hundredths otherwise. */
export function formatValue(value: number, unit: string): string {
  return unit === 'ms' || Math.abs(value) < 100 ? hundredths.format(value) : grouped.format(value);
}

const escapeCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function figureRow(measurement: Measurement, figure: Figure): string {
  const rounds = (values: readonly number[] | undefined): string =>
    values && values.length > 0 ? values.map((v) => formatValue(v, measurement.unit)).join(' · ') : '—';
  const ratio = figure.ratio === undefined ? '—' : `${figure.ratio.toFixed(2)}${measurement.better === 'higher' ? ' ↑' : ' ↓'}`;
  return `| \`${figure.name}\` | ${figure.unit} | ${formatValue(figure.value, figure.unit)} | ${
    figure.peer === undefined ? '—' : formatValue(figure.peer, figure.unit)
  } | ${ratio} | ${rounds(measurement.ours)} | ${rounds(measurement.peer)} |`;
}

/** The Markdown section of one run: a table per suite, the notes, the machine and the exact command. */
export function formatRunReport(run: RunReport): string {
  const lines: string[] = [];
  lines.push(`## ${run.startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')} — ${run.suites.map((s) => s.name).join(', ')}`, '');
  lines.push(`- Command: \`${run.command}\` (${run.seconds.toFixed(0)} s)`);
  lines.push(`- CPU: ${run.machine.cpuCount} × ${escapeCell(run.machine.cpuModel)}`);
  lines.push(`- Node.js ${run.machine.node} on ${run.machine.platform}`);
  lines.push(`- PostgreSQL: ${escapeCell(run.machine.postgres)}`);
  lines.push(
    run.gauge
      ? `- Speed gauge: \`${run.gauge.name}\` ${formatValue(run.gauge.value, run.gauge.unit)} ${run.gauge.unit} (${run.gauge.source}); machines of this kind differ up to 2×, so read absolute figures against it and ratios as they are`
      : '- Speed gauge: none measured yet (`npm run bench -- commands` measures `commands.gauge.healthz`)',
  );
  for (const suite of run.suites) {
    lines.push('', `### ${suite.name} (${suite.seconds.toFixed(0)} s)`, '');
    if (suite.result.peer) lines.push(`Peer: ${suite.result.peer}.`, '');
    const gauge = suite.result.gauge;
    if (gauge) {
      lines.push(
        `Speed gauge in these rounds: \`${gauge.name}\` ${formatValue(median(gauge.rounds), gauge.unit)} ${gauge.unit} (${gauge.rounds.map((v) => formatValue(v, gauge.unit)).join(' · ')}).`,
        '',
      );
    }
    lines.push('| figure | unit | ours | peer | ours / peer | rounds (ours) | rounds (peer) |');
    lines.push('|---|---|---:|---:|---:|---|---|');
    for (const measurement of suite.result.measurements) lines.push(figureRow(measurement, toFigure(measurement)));
    lines.push('', '↑ higher is better (a ratio above 1: ours is faster). ↓ lower is better (a latency ratio below 1: ours is faster).');
    if (suite.result.notes.length > 0) {
      lines.push('');
      for (const note of suite.result.notes) lines.push(`- ${note}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** What to append to a report file: its header first when the file is new, a blank line between runs. */
export function reportAppendix(run: RunReport, fileExists: boolean): string {
  return `${fileExists ? '' : reportFileHeader(run.startedAt)}\n${formatRunReport(run)}`;
}
