import { describe, expect, it } from '@jest/globals';
import { bestRate, heapUsedMbOf, memoryGrowth, nextProbeRate, parseSoakArgs, probePassed, windowFigures, type Probe } from './soak-math.js';

const probe = (rate: number, ok: boolean): Probe => ({ rate, achieved: rate, p99: ok ? 50 : 150, errors: 0, ok });

describe('parseSoakArgs', () => {
  it('reads minutes, rate and instances, with defaults', () => {
    expect(parseSoakArgs(['--minutes', '10'])).toEqual({ kind: 'run', args: { minutes: 10, instances: 1 } });
    expect(parseSoakArgs(['--minutes', '2', '--rate', '300', '--instances', '2'])).toEqual({ kind: 'run', args: { minutes: 2, rate: 300, instances: 2 } });
    expect(parseSoakArgs([])).toEqual({ kind: 'run', args: { minutes: 10, instances: 1 } });
  });

  it('refuses unknown arguments, missing or non-positive numbers and fractional instances', () => {
    expect(parseSoakArgs(['--hours', '1']).kind).toBe('error');
    expect(parseSoakArgs(['--minutes']).kind).toBe('error');
    expect(parseSoakArgs(['--minutes', '0']).kind).toBe('error');
    expect(parseSoakArgs(['--instances', '1.5']).kind).toBe('error');
    expect(parseSoakArgs(['--help']).kind).toBe('help');
  });
});

describe('the rate search', () => {
  it('starts at the start rate and grows by half while probes pass', () => {
    expect(nextProbeRate([], { start: 100, maxProbes: 9 })).toBe(100);
    expect(nextProbeRate([probe(100, true)], { start: 100, maxProbes: 9 })).toBe(150);
  });

  it('bisects between the best pass and the lowest failure, and stops within 10 %', () => {
    expect(nextProbeRate([probe(100, true), probe(150, true), probe(225, false)], { start: 100, maxProbes: 9 })).toBe(188);
    expect(nextProbeRate([probe(100, true), probe(150, true), probe(225, false), probe(188, true), probe(206, true)], { start: 100, maxProbes: 9 })).toBeUndefined();
  });

  it('never tries a rate twice nor one below 1 request/s', () => {
    expect(nextProbeRate([probe(2, false), probe(1, false)], { start: 2, maxProbes: 9 })).toBeUndefined();
    expect(nextProbeRate([probe(4, true), probe(6, false), probe(5, false)], { start: 4, maxProbes: 9 })).toBeUndefined();
  });

  it('stops after maxProbes, and reports the highest passing rate', () => {
    const probes = [probe(100, true), probe(150, false)];
    expect(nextProbeRate(probes, { start: 100, maxProbes: 2 })).toBeUndefined();
    expect(bestRate(probes)).toBe(100);
    expect(bestRate([probe(100, false)])).toBeUndefined();
  });

  it('passes a probe only without errors, within the p99 bound and with the rate really sent', () => {
    expect(probePassed({ rate: 100, achieved: 95, p99: 100, errors: 0 })).toBe(true);
    expect(probePassed({ rate: 100, achieved: 95, p99: 101, errors: 0 })).toBe(false);
    expect(probePassed({ rate: 100, achieved: 95, p99: 10, errors: 1 })).toBe(false);
    expect(probePassed({ rate: 100, achieved: 80, p99: 10, errors: 0 })).toBe(false);
  });
});

describe('window figures and memory growth', () => {
  it('gives throughput per second and the p99 of a window', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(windowFigures(latencies, 2, 10)).toEqual({ throughput: 10, p99: 99, errors: 2 });
    expect(windowFigures([], 0, 5)).toEqual({ throughput: 0, p99: 0, errors: 0 });
  });

  it('compares the median of the last three samples after warm-up with the first three', () => {
    const samples = [50, 100, 100, 100, 105, 110, 110, 110].map((rssMb, t) => ({ t, rssMb }));
    expect(memoryGrowth(samples, 1)).toBeCloseTo(0.1);
    expect(memoryGrowth(samples.slice(0, 6), 1)).toBeUndefined();
  });
});

describe('heapUsedMbOf', () => {
  it('reads prom-client\'s heap-used gauge, with or without labels', () => {
    expect(heapUsedMbOf('# HELP x\nnodejs_heap_size_used_bytes{service="projector"} 20971520\n')).toBe(20);
    expect(heapUsedMbOf('nodejs_heap_size_used_bytes 1048576')).toBe(1);
    expect(heapUsedMbOf('nodejs_heap_size_total_bytes 1048576')).toBeUndefined();
  });
});
