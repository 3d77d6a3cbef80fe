import { describe, expect, it } from '@jest/globals';
import { linearTicks, logTicks, renderLineChart, type LineChart } from './line-chart.js';

const chart: LineChart = {
  yScale: 'log',
  title: 'place-order <through nginx>',
  xLabel: 'offered load (orders/s)',
  yLabel: 'latency (ms)',
  series: [
    { name: 'p50', points: [[100, 4], [500, 6], [1000, 40], [1200, 900]] },
    { name: 'p99 & max', points: [[100, 12], [500, 20], [1000, 300], [1200, 4000]] },
  ],
  markers: [{ x: 1000, label: 'max 1,000/s' }],
};

describe('renderLineChart', () => {
  it('draws a standalone SVG with a polyline and a point per measured load for each series', () => {
    const svg = renderLineChart(chart);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(8);
  });

  it('escapes text and names each series in the legend', () => {
    const svg = renderLineChart(chart);
    expect(svg).toContain('place-order &lt;through nginx&gt;');
    expect(svg).toContain('>p99 &amp; max<');
    expect(svg).toContain('>max 1,000/s<');
  });

  it('puts larger latencies higher up, on a log axis (equal ratios, equal distances)', () => {
    const svg = renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', yScale: 'log', series: [{ name: 's', points: [[1, 1], [2, 10], [3, 100]] }] });
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys[0]!).toBeGreaterThan(ys[1]!);
    expect(ys[1]!).toBeGreaterThan(ys[2]!);
    expect(Math.abs(ys[0]! - ys[1]! - (ys[1]! - ys[2]!))).toBeLessThan(0.2);
  });

  it('leaves out points it cannot place on a log axis (no answer, latency 0)', () => {
    const svg = renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', yScale: 'log', series: [{ name: 's', points: [[1, 0], [2, 5], [3, 7]] }] });
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });

  it('is pure: the same chart gives the same text', () => {
    expect(renderLineChart(chart)).toBe(renderLineChart(chart));
  });
});

describe('renderLineChart on a linear axis (the soak)', () => {
  const overTime: LineChart = { title: 'RSS <MB>', xLabel: 'minutes', yLabel: 'MB', series: [{ name: 'a & b', points: [[0, 10], [1, 20], [2, 0]] }, { name: 'c', points: [] }] };

  it('draws every finite point, 0 included, from a 0 baseline, and names each series', () => {
    const svg = renderLineChart(overTime);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('>a &amp; b<');
    expect(svg).toContain('>c<');
    expect(svg).not.toContain('log scale');
  });

  it('puts equal steps at equal distances', () => {
    const svg = renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[1, 0], [2, 10], [3, 20]] }] });
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.abs(ys[0]! - ys[1]! - (ys[1]! - ys[2]!))).toBeLessThan(0.2);
  });
});

describe('ticks', () => {
  it('steps linear ticks by 1, 2 or 5 × 10^n from 0 past the maximum', () => {
    expect(linearTicks(1200)).toEqual([0, 200, 400, 600, 800, 1000, 1200]);
    expect(linearTicks(95)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('puts log ticks at 1-2-5 over a short range and at decades over a long one', () => {
    expect(logTicks(3, 40)).toEqual([2, 5, 10, 20, 50]);
    expect(logTicks(0.5, 4000)).toEqual([0.1, 1, 10, 100, 1000, 10000]);
  });

  it('refuses a log range that is not positive', () => {
    expect(() => logTicks(0, 10)).toThrow(RangeError);
  });
});
