import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { repoPath } from '../paths.js';

// What the checks read from infra/grafana: the dashboards' panels and their Prometheus queries. Only the fields the
// checks need are parsed; Grafana's own schema is far larger, and Grafana cannot run here to load the files.

const Datasource = z.object({ type: z.string(), uid: z.string() });
export const Panel = z.object({
  id: z.number().int(),
  title: z.string().min(1),
  type: z.string(),
  datasource: Datasource,
  targets: z.array(z.object({ refId: z.string(), expr: z.string().min(1), datasource: Datasource.optional() })).min(1),
});
export type Panel = z.infer<typeof Panel>;
export const Dashboard = z.object({ uid: z.string().min(1), title: z.string().min(1), panels: z.array(Panel).min(1) });
export type Dashboard = z.infer<typeof Dashboard>;

export const DASHBOARDS_DIR = repoPath('infra/grafana/dashboards');

/** Every dashboard JSON file in infra/grafana/dashboards, parsed. */
export function readDashboards(): { file: string; dashboard: Dashboard }[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: Dashboard.parse(JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8'))) }));
}

/** Every query of every panel, named so that a failing one can be found: `<dashboard uid> / <panel title> / <refId>`. */
export function dashboardQueries(): { name: string; expr: string }[] {
  return readDashboards().flatMap(({ dashboard }) =>
    dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ name: `${dashboard.uid} / ${panel.title} / ${target.refId}`, expr: target.expr }))),
  );
}
