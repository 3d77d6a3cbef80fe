import { describe, expect, it } from '@jest/globals';
import { niceTicks, renderLineChart } from './line-chart.js';

describe('renderLineChart', () => {
  const chart = { title: 'RSS <MB>', xLabel: 'minutes', yLabel: 'MB', series: [{ name: 'a & b', points: [[0, 10], [1, 20], [2, 15]] as [number, number][] }, { name: 'c', points: [] }] };

  it('draws one polyline per series with points, and a legend entry for each series, escaping text', () => {
    const svg = renderLineChart(chart);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg).toContain('RSS &lt;MB&gt;');
    expect(svg).toContain('>a &amp; b<');
    expect(svg).toContain('>c<');
  });

  it('is pure: the same chart gives the same text', () => {
    expect(renderLineChart(chart)).toBe(renderLineChart(chart));
  });
});

describe('niceTicks', () => {
  it('picks round steps over the range', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 9.5)).toEqual([0, 2, 4, 6, 8]);
  });
});
