import { describe, expect, it } from '@jest/globals';
import { formatLighthouseReport, type LighthouseRun } from './lighthouse-report.js';

const run = (formFactor: LighthouseRun['formFactor'], performance: number, accessibility: number, accessibilityFailures: string[] = []): LighthouseRun => ({
  formFactor,
  performance,
  accessibility,
  metrics: [['Largest Contentful Paint', '1.2 s']],
  accessibilityFailures,
});

const report = (runs: LighthouseRun[]) =>
  formatLighthouseReport({
    date: new Date('2026-12-03T15:00:00Z'),
    url: 'http://localhost:8080/',
    command: 'npm run lighthouse',
    lighthouseVersion: '12.0.0',
    browser: 'Chromium 140',
    machine: '2 × Test CPU',
    runs,
  });

describe('the Lighthouse report', () => {
  it('gives each form factor its scores, with the date, the command and the machine', () => {
    const lines = report([run('mobile', 95, 100), run('desktop', 99, 100)]).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '| mobile | 95 | 100 |',
        '| desktop | 99 | 100 |',
        'Measured 2026-12-03T15:00:00.000Z on http://localhost:8080/ (written by `npm run lighthouse`; each run replaces this file).',
        '- Command: `npm run lighthouse`, with the shop running (`npm start`)',
        '- Machine: 2 × Test CPU',
      ]),
    );
  });

  it('marks a score below the bar of 90 and names the failed accessibility audits', () => {
    const text = report([run('mobile', 72, 88, ['Background and foreground colors do not have a sufficient contrast ratio.'])]);
    expect(text).toContain('| mobile | 72 (below 90) | 88 (below 90) |');
    expect(text).toContain('- Accessibility audits failed: Background and foreground colors do not have a sufficient contrast ratio.');
  });
});
