import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@elastic/elasticsearch';

/**
 * The log store's one-shot setup (compose service `log-store-setup`, profile `analytics`): the ILM policy (retention),
 * the index template that gives the services' `logs-shop-*` data streams ECS mappings and that policy, and the Kibana
 * data view over them. Every request is a PUT-or-overwrite, so running it again (each `up`) converges to the files in
 * infra/elasticsearch/, which stay the one place to edit.
 */
export const LOG_POLICY = 'shop-logs';
export const LOG_TEMPLATE = 'shop-logs';

export interface LogStoreAssets {
  ilmPolicy: { policy: { phases: Record<string, { min_age?: string; actions: Record<string, unknown> }> } & Record<string, unknown> };
  indexTemplate: Record<string, unknown>;
  dataView: { data_view: Record<string, unknown>; override?: boolean };
}

/** infra/elasticsearch/ of this checkout or image, found from this file's place (src/ or dist/ alike). */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../../../infra/elasticsearch', import.meta.url));

/** The JSON files of infra/elasticsearch/ (`dir`). */
export function readLogStoreAssets(dir: string): LogStoreAssets {
  const json = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));
  return {
    ilmPolicy: json('logs-ilm-policy.json') as LogStoreAssets['ilmPolicy'],
    indexTemplate: json('logs-index-template.json') as LogStoreAssets['indexTemplate'],
    dataView: json('logs-data-view.json') as LogStoreAssets['dataView'],
  };
}

/** The policy with its delete phase after `retentionDays` (LOG_RETENTION_DAYS); the file's other phases as they are. */
export function withRetention(policy: LogStoreAssets['ilmPolicy'], retentionDays: number): LogStoreAssets['ilmPolicy'] {
  const phases = policy.policy.phases;
  const deletePhase = phases.delete ?? { actions: { delete: {} } };
  return { ...policy, policy: { ...policy.policy, phases: { ...phases, delete: { ...deletePhase, min_age: `${retentionDays}d` } } } };
}

export interface LogStoreSetup {
  elasticsearch: Client;
  /** Kibana's base URL; undefined: no data view (Elasticsearch only). */
  kibanaUrl: string | undefined;
  assets: LogStoreAssets;
  retentionDays: number;
  /** Kibana's HTTP client: fetch. */
  fetch?: typeof fetch;
}

/** Puts the policy, then the template that names it, then the data view; answers what it did, one line each. */
export async function setUpLogStore(setup: LogStoreSetup): Promise<string[]> {
  const { elasticsearch, assets, retentionDays } = setup;
  const done: string[] = [];
  const { policy } = withRetention(assets.ilmPolicy, retentionDays);
  await elasticsearch.ilm.putLifecycle({ name: LOG_POLICY, policy });
  done.push(`ILM policy ${LOG_POLICY}: delete after ${retentionDays} days`);
  await elasticsearch.indices.putIndexTemplate({ name: LOG_TEMPLATE, ...assets.indexTemplate });
  done.push(`index template ${LOG_TEMPLATE}: ${(assets.indexTemplate.index_patterns as string[]).join(', ')}`);
  if (setup.kibanaUrl) {
    const url = new URL('api/data_views/data_view', setup.kibanaUrl.endsWith('/') ? setup.kibanaUrl : `${setup.kibanaUrl}/`);
    // Kibana refuses API writes without kbn-xsrf; `override: true` (in the file) replaces the view of the same id.
    const answer = await (setup.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'kbn-xsrf': 'true' },
      body: JSON.stringify(assets.dataView),
    });
    if (!answer.ok) throw new Error(`Kibana answered ${answer.status} to the data view: ${(await answer.text()).slice(0, 500)}`);
    done.push(`Kibana data view ${String(assets.dataView.data_view.id)}: ${String(assets.dataView.data_view.title)}`);
  } else done.push('KIBANA_URL not set: no data view');
  return done;
}
