import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mockElasticsearch, type MockedRequest } from '@shop/testing';
import { DEFAULT_ASSETS_DIR, LOG_POLICY, LOG_TEMPLATE, readLogStoreAssets, setUpLogStore, withRetention } from './log-store-setup.js';

/** The files the compose job reads: infra/elasticsearch/. */
const assets = readLogStoreAssets(DEFAULT_ASSETS_DIR);

/** Kibana's API as far as the setup uses it: a real HTTP server that keeps what it was sent. */
async function startKibanaStandIn(status = 200): Promise<{ url: string; requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: unknown }>; close(): Promise<void> }> {
  const requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: unknown }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method!, path: req.url!, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"data_view":{"id":"shop-logs"}}' : '{"message":"refused"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the log store setup against Elastic\'s mock and a Kibana stand-in', () => {
  let kibana: Awaited<ReturnType<typeof startKibanaStandIn>>;
  beforeAll(async () => {
    kibana = await startKibanaStandIn();
  });
  afterAll(async () => {
    await kibana.close();
  });

  it('puts the retention policy, then the ECS index template that names it, then the Kibana data view', async () => {
    const { mock, client } = mockElasticsearch();
    const sent: Array<MockedRequest & { what: string }> = [];
    mock.add({ method: 'PUT', path: `/_ilm/policy/${LOG_POLICY}` }, (params) => (sent.push({ ...(params as MockedRequest), what: 'policy' }), { acknowledged: true }));
    mock.add({ method: 'PUT', path: `/_index_template/${LOG_TEMPLATE}` }, (params) => (sent.push({ ...(params as MockedRequest), what: 'template' }), { acknowledged: true }));

    const done = await setUpLogStore({ elasticsearch: client, kibanaUrl: kibana.url, assets, retentionDays: 30 });

    expect(sent.map((request) => request.what)).toEqual(['policy', 'template']);
    const policy = sent[0]!.body as { policy: { phases: { hot: { actions: { rollover: unknown } }; delete: { min_age: string; actions: unknown } } } };
    expect(policy.policy.phases.delete).toEqual({ min_age: '30d', actions: { delete: {} } });
    expect(policy.policy.phases.hot.actions.rollover).toEqual({ max_age: '1d', max_primary_shard_size: '10gb' });
    const template = sent[1]!.body as { index_patterns: string[]; data_stream: object; priority: number; template: { settings: Record<string, unknown>; mappings: { properties: Record<string, unknown> } } };
    // Above Elasticsearch's built-in logs-*-* template (priority 100), a data stream, with the policy and ECS fields.
    expect(template).toMatchObject({ index_patterns: ['logs-shop-*'], data_stream: {}, priority: 200 });
    expect(template.template.settings['index.lifecycle.name']).toBe(LOG_POLICY);
    expect(Object.keys(template.template.mappings.properties)).toEqual(expect.arrayContaining(['@timestamp', 'message', 'log', 'service', 'event', 'trace', 'labels', 'http', 'error']));

    expect(kibana.requests).toEqual([
      expect.objectContaining({ method: 'POST', path: '/api/data_views/data_view', body: { data_view: { id: 'shop-logs', name: 'Shop logs', title: 'logs-shop-*', timeFieldName: '@timestamp' }, override: true } }),
    ]);
    expect(kibana.requests[0]!.headers['kbn-xsrf']).toBe('true');
    expect(done).toHaveLength(3);
  });

  it('stops with Kibana\'s answer when the data view is refused', async () => {
    const { mock, client } = mockElasticsearch();
    mock.add({ method: 'PUT', path: `/_ilm/policy/${LOG_POLICY}` }, () => ({ acknowledged: true }));
    mock.add({ method: 'PUT', path: `/_index_template/${LOG_TEMPLATE}` }, () => ({ acknowledged: true }));
    const refusing = await startKibanaStandIn(400);
    try {
      await expect(setUpLogStore({ elasticsearch: client, kibanaUrl: refusing.url, assets, retentionDays: 14 })).rejects.toThrow(/Kibana answered 400.*refused/);
    } finally {
      await refusing.close();
    }
  });

  it('keeps the file\'s other phases and sets only the delete phase\'s age', () => {
    const policy = withRetention(assets.ilmPolicy, 7);
    expect(policy.policy.phases.delete!.min_age).toBe('7d');
    expect(policy.policy.phases.hot).toEqual(assets.ilmPolicy.policy.phases.hot);
    expect(assets.ilmPolicy.policy.phases.delete!.min_age).toBe('14d');
  });
});
