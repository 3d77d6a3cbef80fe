import { percentile } from '../stats.js';

/** Pure parts of the soak: its arguments, the rate search, window figures and the memory verdict. */

export interface SoakArgs {
  minutes: number;
  /** Skip the search and soak at this rate (requests/s). */
  rate?: number;
  /** SHOP_INSTANCES of the stack under test. */
  instances: number;
}

export type ParsedSoakArgs = { kind: 'run'; args: SoakArgs } | { kind: 'help' } | { kind: 'error'; message: string };

export const SOAK_USAGE = `npm run soak -- --minutes N [--rate R] [--instances K]
  --minutes N    how long to soak (default 10)
  --rate R       requests/s to soak at; without it, the highest rate keeping p99 <= 100 ms is searched first
  --instances K  command and query instances and projector partitions (SHOP_INSTANCES, default 1)`;

/** `--minutes N [--rate R] [--instances K]`, each a positive number. */
export function parseSoakArgs(argv: readonly string[]): ParsedSoakArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const values: Record<string, number> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!;
    if (!['--minutes', '--rate', '--instances'].includes(name)) return { kind: 'error', message: `Unknown argument ${name}\n${SOAK_USAGE}` };
    const value = Number(argv[i + 1]);
    if (argv[i + 1] === undefined || !Number.isFinite(value) || value <= 0) return { kind: 'error', message: `${name} needs a positive number\n${SOAK_USAGE}` };
    values[name] = value;
  }
  const instances = values['--instances'] ?? 1;
  if (!Number.isInteger(instances) || instances > 8) return { kind: 'error', message: `--instances must be a whole number from 1 to 8\n${SOAK_USAGE}` };
  return {
    kind: 'run',
    args: { minutes: values['--minutes'] ?? 10, instances, ...(values['--rate'] === undefined ? {} : { rate: values['--rate'] }) },
  };
}

/** One step of the rate search: the rate sent, the p99 it got, and whether it kept the bound without errors. */
export interface Probe {
  rate: number;
  achieved: number;
  p99: number;
  errors: number;
  ok: boolean;
}

export const P99_BOUND_MS = 100;

/** A probe passes when its p99 is within the bound, nothing failed, and the generator really sent the rate (±10 %). */
export const probePassed = (probe: Omit<Probe, 'ok'>): boolean => probe.errors === 0 && probe.p99 <= P99_BOUND_MS && probe.achieved >= 0.9 * probe.rate;

/**
 * The next rate to try, or undefined when the search is over: grow by half while probes pass; after the first
 * failure, bisect between the best pass and the lowest failure until they are within 10 % (or `maxProbes`).
 */
export function nextProbeRate(probes: readonly Probe[], options: { start: number; maxProbes: number }): number | undefined {
  if (probes.length === 0) return options.start;
  if (probes.length >= options.maxProbes) return undefined;
  const best = bestRate(probes);
  const failures = probes.filter((p) => !p.ok).map((p) => p.rate);
  if (failures.length === 0) return Math.round(probes.at(-1)!.rate * 1.5);
  const lowestFailure = Math.min(...failures);
  const floor = best ?? 0;
  if (lowestFailure - floor <= 0.1 * lowestFailure) return undefined;
  const next = Math.round((floor + lowestFailure) / 2);
  // Whole requests per second: a rate already tried (or below 1) ends the search rather than repeating it.
  return next < 1 || probes.some((p) => p.rate === next) ? undefined : next;
}

/** The highest rate that passed, if any did. */
export function bestRate(probes: readonly Probe[]): number | undefined {
  const passed = probes.filter((p) => p.ok).map((p) => p.rate);
  return passed.length ? Math.max(...passed) : undefined;
}

/** What a window of traffic did: completed requests per second, p99 (ms), error count. */
export function windowFigures(latenciesMs: readonly number[], errors: number, seconds: number): { throughput: number; p99: number; errors: number } {
  return { throughput: latenciesMs.length / seconds, p99: latenciesMs.length ? percentile(latenciesMs, 99) : 0, errors };
}

/**
 * Memory growth of one process after warm-up: the median of its last three samples against the median of its first
 * three after `warmupUntil` (seconds), as a fraction (0.1 = 10 % growth). Undefined with fewer than six samples.
 */
export function memoryGrowth(samples: ReadonlyArray<{ t: number; rssMb: number }>, warmupUntil: number): number | undefined {
  const after = samples.filter((s) => s.t >= warmupUntil).map((s) => s.rssMb);
  if (after.length < 6) return undefined;
  const mid = (values: number[]): number => [...values].sort((a, b) => a - b)[1]!;
  const first = mid(after.slice(0, 3));
  const last = mid(after.slice(-3));
  return (last - first) / first;
}

export const MEMORY_GROWTH_LIMIT = 0.1;

/**
 * The V8 heap in use (MB) from a service's /metrics text (prom-client's `nodejs_heap_size_used_bytes`): beside RSS it
 * tells a heap that keeps growing (a leak) from one the collector simply has not shrunk yet.
 */
export function heapUsedMbOf(metrics: string): number | undefined {
  const value = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([0-9.e+]+)$/m.exec(metrics)?.[1];
  return value === undefined ? undefined : Number(value) / (1024 * 1024);
}
