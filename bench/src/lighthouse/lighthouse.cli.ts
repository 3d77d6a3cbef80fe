import { writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { launch } from 'chrome-launcher';
import lighthouse, { desktopConfig, type Config, type Result } from 'lighthouse';
import { formatLighthouseReport, type LighthouseRun } from './lighthouse-report.js';

/**
 * `npm run lighthouse`: Lighthouse on the catalog through the gateway of a running shop (`npm start`), in Debian's
 * Chromium, headless; once as a phone (Lighthouse's default, throttled) and once as a desktop. Writes
 * bench/results/lighthouse.md. Not part of `npm test`: it is slow, and its scores move with the machine's load.
 */
const url = process.env.SHOP_URL ?? `http://localhost:${process.env.SHOP_PORT ?? '8080'}/`;
const output = new URL('../../results/lighthouse.md', import.meta.url);

const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'];

function reduce(formFactor: LighthouseRun['formFactor'], lhr: Result): LighthouseRun {
  const score = (category: string): number => Math.round((lhr.categories[category]?.score ?? 0) * 100);
  const accessibilityFailures = (lhr.categories.accessibility?.auditRefs ?? [])
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit !== undefined && audit.score === 0)
    .map((audit) => audit!.title);
  return {
    formFactor,
    performance: score('performance'),
    accessibility: score('accessibility'),
    metrics: METRICS.flatMap((id) => {
      const audit = lhr.audits[id];
      return audit ? [[audit.title, audit.displayValue ?? String(audit.numericValue)] as const] : [];
    }),
    accessibilityFailures,
  };
}

async function main(): Promise<void> {
  const reachable = await fetch(url).then((response) => response.ok, () => false);
  if (!reachable) throw new Error(`Nothing answers at ${url}: start the shop first (npm start), or set SHOP_URL`);
  const chrome = await launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const settings = { port: chrome.port, output: 'json' as const, logLevel: 'error' as const, onlyCategories: ['performance', 'accessibility'] };
    const runs: LighthouseRun[] = [];
    let lhr: Result | undefined;
    for (const [formFactor, config] of [['mobile', undefined], ['desktop', desktopConfig]] as Array<[LighthouseRun['formFactor'], Config | undefined]>) {
      const result = await lighthouse(url, settings, config);
      if (!result) throw new Error(`Lighthouse gave no result for ${url} (${formFactor})`);
      if (result.lhr.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${result.lhr.runtimeError.message}`);
      lhr = result.lhr;
      runs.push(reduce(formFactor, result.lhr));
      console.log(`${formFactor}: performance ${runs.at(-1)!.performance}, accessibility ${runs.at(-1)!.accessibility}`);
    }
    const cores = cpus();
    writeFileSync(
      output,
      formatLighthouseReport({
        date: new Date(),
        url,
        command: process.env.SHOP_URL ? `SHOP_URL=${url} npm run lighthouse` : 'npm run lighthouse',
        lighthouseVersion: lhr!.lighthouseVersion,
        browser: lhr!.environment.hostUserAgent.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? lhr!.environment.hostUserAgent,
        machine: `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()} ${arch()} (kernel ${release()}), Node.js ${process.version}; Lighthouse's CPU benchmark index ${lhr!.environment.benchmarkIndex}`,
        runs,
      }),
    );
    console.log(`Wrote ${output.pathname}`);
  } finally {
    chrome.kill();
  }
}

await main();
