import { readFile } from 'node:fs/promises';
import type { Measurement } from './figures.js';

/**
 * Resident memory of the processes a suite starts, read from Linux's /proc/<pid>/status (VmRSS), so the services
 * need no hook of their own. A service's RSS is read after the warm-up and at the end of the run; growth is
 * end / warm (target ≤ 1.10: a service that keeps growing under a steady load leaks).
 */

/** VmRSS of a /proc/<pid>/status text, in MB (MiB: the kernel counts kB of 1,024 bytes). */
export function parseVmRssMegabytes(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new TypeError('no VmRSS line (a kernel thread, or a process that has exited)');
  return Number(match[1]) / 1024;
}

export async function residentMegabytes(pid: number): Promise<number> {
  return parseVmRssMegabytes(await readFile(`/proc/${pid}/status`, 'utf8'));
}

/** One service's RSS in one round: after the warm-up and at the end. */
export interface RssSample {
  warm: number;
  end: number;
}

/**
 * The figures `<prefix>.<service>.rss.warm|end|growth` over the rounds; with `peer`, the peer's samples of the same
 * rounds (ratio ours / peer).
 */
export function rssMeasurements(prefix: string, service: string, ours: readonly RssSample[], peer?: readonly RssSample[]): Measurement[] {
  const name = `${prefix}.${service}.rss`;
  const pick = (samples: readonly RssSample[] | undefined, value: (s: RssSample) => number): { peer?: number[] } =>
    samples ? { peer: samples.map(value) } : {};
  const growth = (s: RssSample): number => s.end / s.warm;
  return [
    { name: `${name}.warm`, unit: 'MB', better: 'lower', ours: ours.map((s) => s.warm), ...pick(peer, (s) => s.warm) },
    { name: `${name}.end`, unit: 'MB', better: 'lower', ours: ours.map((s) => s.end), ...pick(peer, (s) => s.end) },
    { name: `${name}.growth`, unit: '×', better: 'lower', ours: ours.map(growth), ...pick(peer, growth) },
  ];
}

/**
 * CPU time a process has used (user + system, seconds) from /proc/<pid>/stat, fields 14 and 15 in clock ticks of
 * 1/100 s (Linux's USER_HZ on x86_64). Read after the command name's closing parenthesis: the name may hold spaces.
 */
export function parseCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new TypeError('not a /proc/<pid>/stat line');
  return (utime + stime) / 100;
}

export async function cpuSeconds(pid: number): Promise<number> {
  return parseCpuSeconds(await readFile(`/proc/${pid}/stat`, 'utf8'));
}
