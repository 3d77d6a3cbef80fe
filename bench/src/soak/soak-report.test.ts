import { describe, expect, it } from '@jest/globals';
import { growthByProcess, soakCharts, soakMarkdown, verdicts, type SoakResult } from './soak-report.js';

const result = (rss: (t: number) => number, overrides: Partial<SoakResult> = {}): SoakResult => ({
  date: '2026-12-03',
  machine: 'test machine',
  commandLine: 'npm run soak -- --minutes 1',
  instances: 1,
  minutes: 1,
  warmupSeconds: 10,
  probes: [{ rate: 50, achieved: 50, p99: 20, errors: 0, ok: true }],
  rate: 50,
  samples: Array.from({ length: 12 }, (_, i) => ({ t: i * 5, throughput: 50, p99: 20, errors: 0, lagEvents: 0, rssMb: { projector: rss(i * 5) }, heapUsedMb: { projector: 30 } })),
  totals: { requests: 3000, errors: 0, p99: 20, throughput: 50, errorSamples: [] },
  end: { caughtUpSeconds: 0.1, head: '100', rebuilds: [{ projection: 'catalog', identical: true, liveDigest: 'a', rebuiltDigest: 'a', events: 100 }], verify: { ok: true, eventsChecked: 100 } },
  notes: ['a note'],
  ...overrides,
});

describe('the soak report', () => {
  it('passes every verdict for a flat, quick, clean soak', () => {
    expect(Object.values(verdicts(result(() => 100))).every(Boolean)).toBe(true);
  });

  it('fails the memory verdict when a process grows more than 10 % after warm-up', () => {
    const growing = result((t) => 100 + t);
    expect(growthByProcess(growing).projector).toBeGreaterThan(0.1);
    expect(verdicts(growing)["every process's memory flat after warm-up (≤ 10 % growth)"]).toBe(false);
  });

  it('fails on an error, a broken chain or a rebuild that differs', () => {
    const bad = result(() => 100, {
      totals: { requests: 3000, errors: 1, p99: 20, throughput: 50, errorSamples: ['502 GET /api/products/:id'] },
      end: { caughtUpSeconds: 0.1, head: '100', rebuilds: [{ projection: 'catalog', identical: false, liveDigest: 'a', rebuiltDigest: 'b', events: 100 }], verify: { ok: false, eventsChecked: 100 } },
    });
    const failed = Object.entries(verdicts(bad)).filter(([, ok]) => !ok).map(([what]) => what);
    expect(failed).toEqual(['no error', 'read models equal a rebuild (digests)', 'the hash-chained log verifies']);
  });

  it('counts the 5-s windows over the p99 bound beside the totals, without failing the soak on them', () => {
    const spiky = result(() => 100, { samples: result(() => 100).samples.map((s, i) => (i === 5 ? { ...s, p99: 140 } : s)) });
    expect(Object.values(verdicts(spiky)).every(Boolean)).toBe(true);
    expect(soakMarkdown(spiky, (kind) => kind)).toContain('5-s windows after warm-up with p99 over 100 ms: 1 of 10 (worst 140.0 ms).');
  });

  it('links one chart per kind, the heap chart included when heaps were sampled', () => {
    const markdown = soakMarkdown(result(() => 100), (kind) => `x-${kind}.svg`);
    for (const kind of ['throughput', 'p99', 'rss', 'heap', 'lag']) expect(markdown).toContain(`(x-${kind}.svg)`);
    expect(Object.keys(soakCharts(result(() => 100)))).toEqual(['throughput', 'p99', 'rss', 'heap', 'lag']);
  });
});
