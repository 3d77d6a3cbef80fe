import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { which } from '../infra/which.js';
import { repoPath } from '../paths.js';

/**
 * The Prometheus tools the checks run. In CI (CI=true, where .ci/run installs them) a missing tool is a failure;
 * elsewhere its checks are skipped, and the skip names the tool.
 */
export function checkTool(name: 'promtool' | 'amtool'): { path: string | undefined; skip: boolean } {
  const path = which(name);
  if (path === undefined && process.env.CI === 'true') throw new Error(`${name} is missing, and CI must run its checks (apt-get install prometheus prometheus-alertmanager)`);
  return { path, skip: path === undefined };
}

/** Runs a tool; the answer carries its whole output, so a failed expectation shows what the tool said. */
export function runTool(path: string, args: string[], cwd = repoPath('.')): { status: number | null; stdout: string; output: string } {
  const result = spawnSync(path, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}

/** The Alertmanager config as its entrypoint renders it (alertmanager-entrypoint.sh), with `url` for the webhook. */
export function renderedAlertmanagerConfig(url: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'shop-alertmanager-'));
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, readFileSync(repoPath('infra/prometheus/alertmanager.yml'), 'utf8').replaceAll('${SHOP_ALERT_WEBHOOK_URL}', url));
  return file;
}
