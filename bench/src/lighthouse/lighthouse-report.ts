/** One Lighthouse run, reduced to what the report says. Scores are Lighthouse's 0–100. */
export interface LighthouseRun {
  formFactor: 'mobile' | 'desktop';
  performance: number;
  accessibility: number;
  /** Lab metrics as Lighthouse displays them, e.g. `['Largest Contentful Paint', '1.2 s']`. */
  metrics: ReadonlyArray<readonly [string, string]>;
  /** Titles of the accessibility audits that failed. */
  accessibilityFailures: readonly string[];
}

export interface LighthouseReport {
  date: Date;
  url: string;
  command: string;
  lighthouseVersion: string;
  browser: string;
  machine: string;
  runs: readonly LighthouseRun[];
}

/** The bar (issue 16): performance and accessibility at least 90 on the catalog. */
export const TARGET_SCORE = 90;

const verdict = (score: number): string => (score >= TARGET_SCORE ? `${score}` : `${score} (below ${TARGET_SCORE})`);

/** bench/results/lighthouse.md: the scores per form factor, the lab metrics, what failed, and how it was measured. */
export function formatLighthouseReport(report: LighthouseReport): string {
  const lines = [
    '# Lighthouse: the catalog through the gateway',
    '',
    `Measured ${report.date.toISOString()} on ${report.url} (written by \`npm run lighthouse\`; each run replaces this file).`,
    '',
    '| form factor | performance | accessibility |',
    '|---|---|---|',
    ...report.runs.map((run) => `| ${run.formFactor} | ${verdict(run.performance)} | ${verdict(run.accessibility)} |`),
  ];
  for (const run of report.runs) {
    lines.push('', `## ${run.formFactor}`, '');
    lines.push(...run.metrics.map(([name, value]) => `- ${name}: ${value}`));
    lines.push(
      run.accessibilityFailures.length === 0
        ? '- Accessibility audits failed: none'
        : `- Accessibility audits failed: ${run.accessibilityFailures.join('; ')}`,
    );
  }
  lines.push(
    '',
    '## How',
    '',
    `- Command: \`${report.command}\`, with the shop running (\`npm start\`)`,
    `- Lighthouse ${report.lighthouseVersion} (its default throttling: simulated slow 4G and a 4× slower CPU on mobile), ${report.browser}, headless`,
    `- Machine: ${report.machine}`,
    '',
  );
  return lines.join('\n');
}
