import type { ScenarioResult } from './harness.js';

export interface FaultReport {
  date: string;
  profile: 'short' | 'full';
  seconds: number;
  machine: string;
  results: ScenarioResult[];
}

const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The run as Markdown: one row per scenario with its time to recover, then every invariant that failed. */
export function reportMarkdown(report: FaultReport): string {
  const passed = report.results.filter((r) => r.ok).length;
  const lines = [
    `# Fault run, ${report.profile} profile — ${report.date}`,
    '',
    `\`npm run test:faults${report.profile === 'full' ? ' -- --full' : ''}\` on ${report.machine}: ${passed} of ${report.results.length} scenarios kept every invariant, in ${report.seconds.toFixed(0)} s.`,
    'Traffic through nginx: browse 80 %, place 15 %, pay or cancel 5 %. Time to recover: from the end of the fault (for a',
    'SIGKILL of a service: the kill; the supervisor restarts it) to the first order placed and read back at its',
    'Consistency-Token through the gateway. Invariants after each scenario: docs/faults.md.',
    '',
    '| scenario | fault held | time to recover | writes (failed, retried) | reads (failed) | invariants | scenario took |',
    '|---|---:|---:|---:|---:|---|---:|',
    ...report.results.map(
      (r) =>
        `| ${cell(r.name)} | ${(r.holdMs / 1000).toFixed(0)} s | ${r.recoveryMs === undefined ? '—' : `${r.recoveryMs} ms`} | ${r.traffic.writes} (${r.traffic.writesFailed}) | ${r.traffic.reads} (${r.traffic.readsFailed}) | ${r.ok ? `all ${r.verdicts.length} hold` : 'BROKEN'} | ${r.seconds.toFixed(0)} s |`,
    ),
  ];
  const broken = report.results.flatMap((r) => r.verdicts.filter((v) => !v.ok).map((v) => `- ${cell(r.name)}: ${v.invariant} — ${v.detail}`));
  if (broken.length) lines.push('', '## Broken invariants', '', ...broken);
  const checked = [...new Set(report.results.flatMap((r) => r.verdicts.map((v) => v.invariant)))];
  lines.push('', '## Invariants checked', '', ...checked.map((invariant) => `- ${invariant}`));
  if (report.profile === 'short') lines.push('', 'Short profile: the read models are rebuilt and digested after the last scenario only (docs/faults.md).');
  return `${lines.join('\n')}\n`;
}
