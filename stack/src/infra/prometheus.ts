import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoPath } from '../paths.js';
import { spawnManaged, type ManagedChild } from './child.js';

/** Runs Prometheus with infra/prometheus/prometheus.yml, its target ports rewritten to the ones in use. */
export function startPrometheus(binary: string, options: { port: number; targets: Record<number, number>; dataDir: string }): ManagedChild {
  const dir = resolve(options.dataDir, 'prometheus');
  mkdirSync(join(dir, 'data'), { recursive: true });
  let config = readFileSync(repoPath('infra/prometheus/prometheus.yml'), 'utf8');
  for (const [defaultPort, actualPort] of Object.entries(options.targets)) {
    config = config.replaceAll(`localhost:${defaultPort}'`, `localhost:${actualPort}'`);
  }
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
