/**
 * A line chart as an SVG document: pure (the same chart gives the same text), no plotting library. The one renderer
 * of the bench's charts: the load curves (latency against offered load) and the soak's figures over time.
 * `yScale: 'log'` for latency against load: below the knee latencies sit in single milliseconds, past it they grow by
 * orders of magnitude, and one linear axis would flatten the first into its baseline.
 */

export interface Series {
  name: string;
  /** [x, y] points, drawn in the order given; on a log axis a point with y ≤ 0 is left out. */
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Default linear from 0. */
  yScale?: 'linear' | 'log';
  /** Vertical markers, e.g. the measured maximum (100 %). */
  markers?: ReadonlyArray<{ x: number; label: string }>;
}

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { top: 40, right: 150, bottom: 52, left: 72 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

export const escapeXml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Round linear ticks (steps of 1, 2 or 5 × 10^n), about `count` of them, from 0 to at least `max`. */
export function linearTicks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const tick = Number((i * step).toPrecision(12));
    ticks.push(tick);
    if (tick >= max) return ticks;
  }
}

/** Log ticks covering [min, max]: every 1, 2 and 5 × 10^n when the range spans under 3 decades, else each decade. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) throw new RangeError(`log ticks need 0 < min ≤ max (got ${min}, ${max})`);
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  const multiples = high - low < 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let decade = low; decade <= high; decade++) {
    for (const m of multiples) ticks.push(Number((m * 10 ** decade).toPrecision(12)));
  }
  // Keep one tick at or below min and one at or above max, nothing further out.
  const first = ticks.filter((t) => t <= min).at(-1) ?? ticks[0]!;
  const last = ticks.find((t) => t >= max) ?? ticks.at(-1)!;
  return ticks.filter((t) => t >= first && t <= last);
}

const formatNumber = (value: number): string =>
  value >= 10_000 ? `${Number((value / 1000).toPrecision(3))}k` : value >= 1 ? String(Number(value.toPrecision(4))) : String(Number(value.toPrecision(2)));

const at = (n: number): string => n.toFixed(1);

export function renderLineChart(chart: LineChart): string {
  const log = chart.yScale === 'log';
  const drawable = ([, y]: readonly [number, number]): boolean => Number.isFinite(y) && (!log || y > 0);
  const points = chart.series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...points.map(([x]) => x), ...(chart.markers ?? []).map((m) => m.x));
  const ys = points.filter(drawable).map(([, y]) => y);
  const xTicks = linearTicks(xMax);
  const yTicks = log ? (ys.length > 0 ? logTicks(Math.min(...ys), Math.max(...ys)) : [1, 10]) : linearTicks(Math.max(0, ...ys));
  const xEnd = xTicks.at(-1)!;
  const yScaled = (y: number): number => (log ? Math.log10(y) : y);
  const [yLow, yHigh] = [yScaled(yTicks[0]!), yScaled(yTicks.at(-1)!)];
  const sx = (x: number): number => MARGIN.left + (x / xEnd) * PLOT_W;
  const sy = (y: number): number => MARGIN.top + PLOT_H - ((yScaled(y) - yLow) / (yHigh - yLow || 1)) * PLOT_H;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(chart.title)}</text>`);
  for (const tick of xTicks) {
    const x = at(sx(tick));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + PLOT_H}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + PLOT_H + 16}" text-anchor="middle">${formatNumber(tick)}</text>`);
  }
  for (const tick of yTicks) {
    const y = at(sy(tick));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + PLOT_W}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatNumber(tick)}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  out.push(
    `<text x="16" y="${MARGIN.top + PLOT_H / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + PLOT_H / 2})">${escapeXml(chart.yLabel)}${log ? ' (log scale)' : ''}</text>`,
  );
  for (const marker of chart.markers ?? []) {
    const x = at(sx(marker.x));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + PLOT_H}" stroke="#555555" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top - 6}" text-anchor="middle" fill="#555555">${escapeXml(marker.label)}</text>`);
  }
  chart.series.forEach((series, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const drawn = series.points.filter(drawable);
    if (drawn.length > 1) {
      out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${drawn.map(([x, y]) => `${at(sx(x))},${at(sy(y))}`).join(' ')}"/>`);
    }
    for (const [x, y] of drawn) out.push(`<circle cx="${at(sx(x))}" cy="${at(sy(y))}" r="3" fill="${colour}"/>`);
    const legendY = MARGIN.top + 10 + i * 20;
    out.push(`<line x1="${MARGIN.left + PLOT_W + 14}" y1="${legendY}" x2="${MARGIN.left + PLOT_W + 38}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${MARGIN.left + PLOT_W + 44}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
