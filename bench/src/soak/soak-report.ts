import { renderLineChart } from '../charts/line-chart.js';
import { MEMORY_GROWTH_LIMIT, memoryGrowth, P99_BOUND_MS, type Probe } from './soak-math.js';

/** One sample of the soak, every few seconds. */
export interface SoakSample {
  /** Seconds since the soak began. */
  t: number;
  throughput: number;
  p99: number;
  errors: number;
  /** head position − lowest projection checkpoint (events), and that checkpoint's projection. */
  lagEvents: number;
  rssMb: Record<string, number>;
  /** V8 heap in use per Node service (its /metrics), MB; absent in reports written before it was sampled. */
  heapUsedMb?: Record<string, number>;
}

export interface SoakResult {
  date: string;
  machine: string;
  commandLine: string;
  instances: number;
  minutes: number;
  warmupSeconds: number;
  probes: Probe[];
  rate: number;
  samples: SoakSample[];
  totals: { requests: number; errors: number; p99: number; throughput: number; errorSamples: string[] };
  end: {
    caughtUpSeconds: number;
    head: string;
    rebuilds: Array<{ projection: string; identical: boolean; liveDigest: string; rebuiltDigest: string; events: number }>;
    verify: { ok: boolean; eventsChecked: number; firstBroken?: unknown };
  };
  notes: string[];
}

/** Each process's growth after warm-up (fraction), from the samples. */
export function growthByProcess(result: Pick<SoakResult, 'samples' | 'warmupSeconds'>): Record<string, number | undefined> {
  const names = [...new Set(result.samples.flatMap((s) => Object.keys(s.rssMb)))].sort();
  return Object.fromEntries(
    names.map((name) => [
      name,
      memoryGrowth(
        result.samples.flatMap((s) => (s.rssMb[name] === undefined ? [] : [{ t: s.t, rssMb: s.rssMb[name] }])),
        result.warmupSeconds,
      ),
    ]),
  );
}

/**
 * The verdicts the issue asks for, each true or false. The p99 bound is the soak's (the rate search finds the highest
 * rate keeping it); 5-s windows over it are reported beside the totals, not judged: at the edge rate a window's p99
 * is its ≈ 25 slowest requests, and one collector pause or Postgres checkpoint moves it.
 */
export function verdicts(result: SoakResult): Record<string, boolean> {
  const growth = Object.values(growthByProcess(result));
  return {
    [`p99 ≤ ${P99_BOUND_MS} ms over the whole soak`]: result.totals.p99 <= P99_BOUND_MS,
    'no error': result.totals.errors === 0,
    [`every process's memory flat after warm-up (≤ ${MEMORY_GROWTH_LIMIT * 100} % growth)`]: growth.length > 0 && growth.every((g) => g !== undefined && g <= MEMORY_GROWTH_LIMIT),
    'read models equal a rebuild (digests)': result.end.rebuilds.length > 0 && result.end.rebuilds.every((r) => r.identical),
    'the hash-chained log verifies': result.end.verify.ok,
  };
}

/** The four charts over time: throughput, p99, RSS of every process, projection lag. */
export function soakCharts(result: SoakResult): Record<string, string> {
  const minutes = (t: number): number => Number((t / 60).toFixed(3));
  const series = (name: string, pick: (s: SoakSample) => number | undefined) => ({
    name,
    points: result.samples.flatMap((s): [number, number][] => {
      const value = pick(s);
      return value === undefined ? [] : [[minutes(s.t), value]];
    }),
  });
  const names = [...new Set(result.samples.flatMap((s) => Object.keys(s.rssMb)))].sort();
  return {
    throughput: renderLineChart({ title: `Throughput (target ${result.rate} req/s)`, xLabel: 'minutes', yLabel: 'requests/s answered', series: [series('answered', (s) => s.throughput)] }),
    p99: renderLineChart({ title: 'p99 latency through nginx', xLabel: 'minutes', yLabel: 'ms', series: [series('p99', (s) => s.p99), series(`bound ${P99_BOUND_MS} ms`, () => P99_BOUND_MS)] }),
    rss: renderLineChart({ title: 'Resident memory per process', xLabel: 'minutes', yLabel: 'MB (VmRSS)', series: names.map((name) => series(name, (s) => s.rssMb[name])) }),
    ...(result.samples.some((s) => s.heapUsedMb)
      ? {
          heap: renderLineChart({
            title: 'V8 heap in use per service',
            xLabel: 'minutes',
            yLabel: 'MB (nodejs_heap_size_used_bytes)',
            series: [...new Set(result.samples.flatMap((s) => Object.keys(s.heapUsedMb ?? {})))].sort().map((name) => series(name, (s) => s.heapUsedMb?.[name])),
          }),
        }
      : {}),
    lag: renderLineChart({ title: 'Projection lag (head − lowest checkpoint)', xLabel: 'minutes', yLabel: 'events', series: [series('lag', (s) => s.lagEvents)] }),
  };
}

const fixed = (n: number, digits = 1): string => n.toFixed(digits);

/** The Markdown report; `chartFile(kind)` names each chart's SVG beside it. */
export function soakMarkdown(result: SoakResult, chartFile: (kind: string) => string): string {
  const growth = growthByProcess(result);
  const lines: string[] = [];
  lines.push(`# Soak, ${result.date}`, '');
  lines.push(`\`${result.commandLine}\` on ${result.machine}. ${result.instances === 1 ? 'One instance of each service' : `${result.instances} instances of each service, projector as ${result.instances} partitions`}, behind nginx.`, '');
  lines.push('## Verdict', '');
  for (const [what, ok] of Object.entries(verdicts(result))) lines.push(`- ${ok ? 'PASS' : 'FAIL'}: ${what}`);
  lines.push('');
  lines.push('## Rate search (p99 ≤ 100 ms through nginx, no error)', '');
  lines.push('| rate sent (req/s) | answered (req/s) | p99 (ms) | errors | kept the bound |', '|---:|---:|---:|---:|---|');
  for (const p of result.probes) lines.push(`| ${p.rate} | ${fixed(p.achieved, 0)} | ${fixed(p.p99)} | ${p.errors} | ${p.ok ? 'yes' : 'no'} |`);
  lines.push('', `Soaked at **${result.rate} requests/s** for ${result.minutes} min (warm-up: the first ${result.warmupSeconds} s, excluded from the memory verdict).`, '');
  lines.push('## Totals', '');
  lines.push(`${result.totals.requests} requests answered as expected, ${result.totals.errors} errors; ${fixed(result.totals.throughput, 0)} req/s; p99 ${fixed(result.totals.p99)} ms over the whole soak.`);
  if (result.totals.errorSamples.length) lines.push('', `Errors seen (first few): ${result.totals.errorSamples.map((e) => `\`${e}\``).join(', ')}.`);
  const soaked = result.samples.filter((s) => s.t >= result.warmupSeconds);
  const over = soaked.filter((s) => s.p99 > P99_BOUND_MS);
  lines.push(
    '',
    `5-s windows after warm-up with p99 over ${P99_BOUND_MS} ms: ${over.length} of ${soaked.length}${over.length ? ` (worst ${fixed(Math.max(...over.map((s) => s.p99)))} ms)` : ''}.`,
  );
  lines.push('', '## Memory (VmRSS) after warm-up', '', '| process | first (MB) | last (MB) | growth |', '|---|---:|---:|---:|');
  for (const [name, g] of Object.entries(growth)) {
    const first = soaked.find((s) => s.rssMb[name] !== undefined)?.rssMb[name];
    const last = [...soaked].reverse().find((s) => s.rssMb[name] !== undefined)?.rssMb[name];
    lines.push(`| ${name} | ${first === undefined ? '–' : fixed(first)} | ${last === undefined ? '–' : fixed(last)} | ${g === undefined ? 'too few samples' : `${fixed(g * 100)} %`} |`);
  }
  lines.push('', '## At the end', '');
  lines.push(`Traffic stopped; every projection reached the head (${result.end.head}) ${fixed(result.end.caughtUpSeconds)} s later.`, '');
  lines.push('| projection | events rebuilt | live digest = rebuilt digest |', '|---|---:|---|');
  for (const r of result.end.rebuilds) lines.push(`| ${r.projection} | ${r.events} | ${r.identical ? 'yes' : `NO (live ${r.liveDigest}, rebuilt ${r.rebuiltDigest})`} |`);
  lines.push('', `Hash chains: ${result.end.verify.ok ? 'verified' : 'BROKEN'}, ${result.end.verify.eventsChecked} events checked${result.end.verify.firstBroken ? `; first broken: ${JSON.stringify(result.end.verify.firstBroken)}` : ''}.`, '');
  lines.push('## Over time', '');
  for (const kind of Object.keys(soakCharts(result))) lines.push(`![${kind}](${chartFile(kind)})`, '');
  lines.push('## Notes', '');
  for (const note of result.notes) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
}
