import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import { formatCents } from '../money';
import { chartSummary, type ChartSeries } from './chart-data';

// Only the parts of Chart.js a bar chart uses, so the rest is left out of the analytics chunk (tree-shaken). Chart.js
// keeps its registry on the Chart class itself; registering twice is harmless, and this module is imported by the
// analytics chunk alone, so no other page ever downloads the library.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

// The page's --accent and --error (styles.css): a canvas cannot read CSS variables as it draws.
const POSITIVE = '#2f5bd3';
const NEGATIVE = '#b42318';

/**
 * One currency's bars on a canvas. The canvas is an image to assistive technology, named by a summary of what it
 * draws (chartSummary); every figure is in the table beside it.
 */
export function BarChart({ title, series, horizontal = false, testId }: { title: string; series: ChartSeries; horizontal?: boolean; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const summary = chartSummary(title, series);

  useEffect(() => {
    if (!canvas.current) return;
    const money = { ticks: { callback: (value: string | number) => formatCents(Number(value) * 100, series.currency) } };
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: series.labels,
        datasets: [
          {
            label: `Revenue (${series.currency})`,
            data: series.cents.map((cents) => cents / 100),
            backgroundColor: series.cents.map((cents) => (cents < 0 ? NEGATIVE : POSITIVE)),
            // A lone product or day stays a bar, not a block filling the chart.
            maxBarThickness: 48,
          },
        ],
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        // Drawn at once: nothing moves for a reader who asked for less motion, and screenshots are stable.
        animation: false,
        plugins: { tooltip: { callbacks: { label: (item) => formatCents(series.cents[item.dataIndex] ?? 0, series.currency) } } },
        scales: horizontal ? { x: money } : { y: money },
      },
    });
    return () => chart.destroy();
  }, [series, horizontal]);

  return (
    <figure className="chart">
      <figcaption>
        {title} ({series.currency})
      </figcaption>
      <div className={horizontal ? 'chart-box chart-box-tall' : 'chart-box'}>
        <canvas ref={canvas} role="img" aria-label={summary} data-testid={testId}>
          {summary}
        </canvas>
      </div>
    </figure>
  );
}
