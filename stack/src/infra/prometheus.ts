import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoPath } from '../paths.js';
import { spawnManaged, type ManagedChild } from './child.js';

/** The scrape config with each default target port replaced by every instance's port (one target per instance). */
export function localScrapeConfig(config: string, targets: Record<number, readonly number[]>): string {
  let rendered = config;
  for (const [defaultPort, actualPorts] of Object.entries(targets)) {
    rendered = rendered.replaceAll(`'localhost:${defaultPort}'`, actualPorts.map((port) => `'localhost:${port}'`).join(', '));
  }
  return rendered;
}

/** Runs Prometheus with infra/prometheus/prometheus.yml, its targets rewritten to the instances in use. */
export function startPrometheus(binary: string, options: { port: number; targets: Record<number, readonly number[]>; dataDir: string }): ManagedChild {
  const dir = resolve(options.dataDir, 'prometheus');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = localScrapeConfig(readFileSync(repoPath('infra/prometheus/prometheus.yml'), 'utf8'), options.targets);
  writeFileSync(join(dir, 'prometheus.yml'), config);
  // rule_files in prometheus.yml are relative to it: the alert rules go beside the rendered config.
  writeFileSync(join(dir, 'alerts.yml'), readFileSync(repoPath('infra/prometheus/alerts.yml'), 'utf8'));
  return spawnManaged({
    name: 'prometheus',
    command: binary,
    args: [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--storage.tsdb.retention.time=2d',
    ],
    logFile: join(options.dataDir, 'logs', 'prometheus.log'),
    restart: true,
  });
}
