import { describe, expect, it } from '@jest/globals';
import { formatRunReport, formatValue, reportAppendix, reportFileName, type RunReport } from './report.js';

const run: RunReport = {
  startedAt: new Date('2025-11-24T07:40:12.345Z'),
  seconds: 123.4,
  command: 'npm run bench -- event-store',
  machine: { cpuModel: 'Some CPU @ 2.00GHz', cpuCount: 2, node: 'v20.20.2', platform: 'linux x64', postgres: 'PostgreSQL 15.20 on x86_64' },
  suites: [
    {
      name: 'event-store',
      seconds: 100,
      result: {
        peer: 'Emmett 0.42.0',
        notes: ['c1 uses 5,000 events'],
        measurements: [
          { name: 'event-store.append.c16', unit: 'events/s', better: 'higher', ours: [5000, 6000, 5500], peer: [2000, 2100, 1900] },
          { name: 'event-store.append.c16.p99', unit: 'ms', better: 'lower', ours: [4, 5, 6], peer: [20, 19, 21] },
          { name: 'solo', unit: 'ms', better: 'lower', ours: [1] },
        ],
      },
    },
  ],
};

describe('report', () => {
  it('names the file after the UTC day', () => {
    expect(reportFileName(new Date('2025-11-24T23:59:59Z'))).toBe('2025-11-24.md');
  });

  it('formats values per unit', () => {
    expect(formatValue(12345.4, 'events/s')).toBe('12,345');
    expect(formatValue(3.14159, 'ms')).toBe('3.14');
    expect(formatValue(1234.5, 'ms')).toBe('1,234.50');
  });

  it('writes a table row per figure with medians, ratio direction and the rounds', () => {
    const text = formatRunReport(run);
    expect(text).toContain('## 2025-11-24T07:40:12Z — event-store');
    expect(text).toContain('- Command: `npm run bench -- event-store` (123 s)');
    expect(text).toContain('- CPU: 2 × Some CPU @ 2.00GHz');
    expect(text).toContain('- PostgreSQL: PostgreSQL 15.20 on x86_64');
    expect(text).toContain('Peer: Emmett 0.42.0.');
    expect(text).toContain('| `event-store.append.c16` | events/s | 5,500 | 2,000 | 2.75 ↑ | 5,000 · 6,000 · 5,500 | 2,000 · 2,100 · 1,900 |');
    expect(text).toContain('| `event-store.append.c16.p99` | ms | 5.00 | 20.00 | 0.25 ↓ | 4.00 · 5.00 · 6.00 | 20.00 · 19.00 · 21.00 |');
    expect(text).toContain('| `solo` | ms | 1.00 | — | — | 1.00 | — |');
    expect(text).toContain('- c1 uses 5,000 events');
  });

  it('names the speed gauge of the run, and a suite\'s own gauge beside its table', () => {
    const withGauge: RunReport = {
      ...run,
      gauge: { name: 'commands.gauge.healthz', unit: 'req/s', value: 21553.2, source: "median of this run's commands rounds" },
      suites: [{ ...run.suites[0]!, result: { ...run.suites[0]!.result, gauge: { name: 'commands.gauge.healthz', unit: 'req/s', rounds: [20000, 22000, 21000] } } }],
    };
    const text = formatRunReport(withGauge);
    expect(text).toContain("- Speed gauge: `commands.gauge.healthz` 21,553 req/s (median of this run's commands rounds)");
    expect(text).toContain('Speed gauge in these rounds: `commands.gauge.healthz` 21,000 req/s (20,000 · 22,000 · 21,000).');
    expect(formatRunReport(run)).toContain('- Speed gauge: none measured yet');
  });

  it('starts a new file with a header and separates appended runs by a blank line', () => {
    expect(reportAppendix(run, false).startsWith('# Benchmarks 2025-11-24\n')).toBe(true);
    expect(reportAppendix(run, true).startsWith('\n## 2025-11-24T07:40:12Z')).toBe(true);
  });
});
