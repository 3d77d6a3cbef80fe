// Grafana cannot run here (no package, no image): its provisioning files are checked instead. The datasource and the
// dashboard provider parse and point where docker-compose.yml mounts them; every panel uses the provisioned
// datasource and has queries; every query is valid PromQL (promtool, offline). The containers test then evaluates each
// query against the live Prometheus of the compose stack.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { repoPath } from '../paths.js';
import { checkTool, runTool } from './check-tools.js';
import { dashboardQueries, readDashboards } from './grafana-dashboards.js';

const readYaml = (path: string): unknown => parse(readFileSync(repoPath(path), 'utf8'));

const Datasources = z.object({
  apiVersion: z.literal(1),
  datasources: z.array(z.object({ name: z.string(), uid: z.string().min(1), type: z.string(), access: z.enum(['proxy', 'direct']), url: z.url() })).min(1),
});
const Providers = z.object({
  apiVersion: z.literal(1),
  providers: z.array(z.object({ name: z.string(), type: z.literal('file'), options: z.object({ path: z.string() }) })).min(1),
});

const datasources = Datasources.parse(readYaml('infra/grafana/provisioning/datasources/prometheus.yml')).datasources;
const compose = readFileSync(repoPath('docker-compose.yml'), 'utf8');

describe('Grafana provisioning', () => {
  it('provisions a Prometheus datasource at the compose stack\'s Prometheus', () => {
    expect(datasources).toContainEqual(expect.objectContaining({ type: 'prometheus', uid: 'shop-prometheus', url: 'http://prometheus:9090' }));
    expect(compose).toContain('./infra/grafana/provisioning:/etc/grafana/provisioning:ro');
  });

  it('loads the dashboards from the folder docker-compose.yml mounts infra/grafana/dashboards on', () => {
    const { providers } = Providers.parse(readYaml('infra/grafana/provisioning/dashboards/shop.yml'));
    for (const provider of providers) expect(compose).toContain(`./infra/grafana/dashboards:${provider.options.path}:ro`);
  });

  it('has dashboards whose every panel queries a provisioned datasource, with unique panel ids and refIds', () => {
    const uids = new Set(datasources.map((source) => source.uid));
    const dashboards = readDashboards();
    expect(dashboards.length).toBeGreaterThan(0);
    for (const { file, dashboard } of dashboards) {
      const ids = dashboard.panels.map((panel) => panel.id);
      expect({ file, duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({ file, duplicateIds: [] });
      for (const panel of dashboard.panels) {
        const sources = [panel.datasource, ...panel.targets.flatMap((target) => (target.datasource ? [target.datasource] : []))];
        expect({ panel: panel.title, unknown: sources.filter((source) => !uids.has(source.uid)) }).toEqual({ panel: panel.title, unknown: [] });
        const refIds = panel.targets.map((target) => target.refId);
        expect({ panel: panel.title, refIds: new Set(refIds).size }).toEqual({ panel: panel.title, refIds: refIds.length });
      }
    }
  });

  it('shows what the dashboards must: requests, errors and latency per service, appends, projection lag, cache hits, JetStream pending', () => {
    const exprs = dashboardQueries().map((query) => query.expr).join('\n');
    for (const metric of [
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'event_store_appended_events_total',
      'event_store_append_duration_seconds_bucket',
      'projection_lag_seconds',
      'redis_keyspace_hits_total',
      'nats_consumer_num_pending',
    ]) {
      expect(exprs).toContain(metric);
    }
  });

  const promtool = checkTool('promtool');
  (promtool.skip ? it.skip : it)('has only queries that are valid PromQL (each checked by promtool as a recording rule)', () => {
    const queries = dashboardQueries();
    const rules = { groups: [{ name: 'dashboards', rules: queries.map((query, i) => ({ record: `dashboard:query_${i}`, expr: query.expr })) }] };
    const file = join(mkdtempSync(join(tmpdir(), 'shop-dashboards-')), 'queries.rules.json');
    // JSON is YAML: promtool reads it as a rules file.
    writeFileSync(file, JSON.stringify(rules));
    const result = runTool(promtool.path!, ['check', 'rules', file]);
    expect({ status: result.status, output: result.output }).toEqual({ status: 0, output: expect.stringContaining(`SUCCESS: ${queries.length} rules found`) });
  });
});
