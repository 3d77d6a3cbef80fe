import { describe, expect, it } from '@jest/globals';
import { salesIndexTemplate, type SalesFact } from '@shop/read-models';
import { elasticsearchErrorAnswer, mockElasticsearch, type MockedRequest } from '@shop/testing';
import { SinkUnavailable } from '../projection.js';
import { DocumentsRejected, SalesIndexWriter, type BulkPolicy } from './sales-index-writer.js';

/** Elastic's official mock stands in for the cluster: every request the client sends is answered (and seen) here. */
function setup(policy: Partial<BulkPolicy> = {}) {
  const { mock, client } = mockElasticsearch();
  const delays: number[] = [];
  const writer = new SalesIndexWriter(client, 'shop-sales', { maxDocuments: 1_000, maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000, ...policy }, async (ms) => {
    delays.push(ms);
  });
  return { mock, writer, delays };
}

type BulkParams = MockedRequest & { body: Array<Record<string, unknown>> };
const ok = (status = 201) => ({ index: { _index: 'shop-sales', status, result: 'created' } });
const failed = (status: number, type: string, reason: string) => ({ index: { _index: 'shop-sales', status, error: { type, reason } } });

const fact = (lineNo: number, overrides: Partial<SalesFact> = {}): SalesFact => ({
  eventId: '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  lineNo,
  orderId: '7b1f0c9a-3c2d-4e5f-8a9b-0c1d2e3f4a5b',
  kind: 'payment',
  at: new Date('2026-11-24T10:00:00.000Z'),
  position: 42n,
  currency: 'EUR',
  productId: '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111',
  sku: 'MUG-1',
  name: 'Blue mug',
  sign: 1,
  orderDelta: lineNo === 0 ? 1 : 0,
  units: 2,
  revenueCents: 2598,
  ...overrides,
});

describe('the sales index writer against Elastic\'s mock', () => {
  it('puts the index template and creates the index when it is missing', async () => {
    const { mock, writer } = setup();
    const seen: Array<{ method: string; path: string; body: unknown }> = [];
    mock.add({ method: 'PUT', path: '/_index_template/shop-sales-template' }, (params) => {
      seen.push({ method: 'PUT', path: '/_index_template/shop-sales-template', body: (params as MockedRequest).body });
      return { acknowledged: true };
    });
    mock.add({ method: 'HEAD', path: '/shop-sales' }, () => elasticsearchErrorAnswer(404));
    mock.add({ method: 'PUT', path: '/shop-sales' }, () => {
      seen.push({ method: 'PUT', path: '/shop-sales', body: undefined });
      return { acknowledged: true, index: 'shop-sales' };
    });
    await writer.ensureIndex();
    const { name: _name, ...template } = salesIndexTemplate('shop-sales');
    expect(seen).toEqual([
      { method: 'PUT', path: '/_index_template/shop-sales-template', body: template },
      { method: 'PUT', path: '/shop-sales', body: undefined },
    ]);
    expect(template.template.mappings.dynamic).toBe('strict');
    expect(template.template.settings.number_of_shards).toBe(1);
  });

  it('leaves an existing index alone (starting again is idempotent)', async () => {
    const { mock, writer } = setup();
    let created = 0;
    mock.add({ method: 'PUT', path: '/_index_template/shop-sales-template' }, () => ({ acknowledged: true }));
    mock.add({ method: 'HEAD', path: '/shop-sales' }, () => '');
    mock.add({ method: 'PUT', path: '/shop-sales' }, () => {
      created += 1;
      return { acknowledged: true };
    });
    await writer.ensureIndex();
    await writer.ensureIndex();
    expect(created).toBe(0);
  });

  it('sends each fact as an index action with its identity as id and its event position as external version, waiting for a refresh', async () => {
    const { mock, writer } = setup();
    const bulks: BulkParams[] = [];
    mock.add({ method: 'POST', path: '/_bulk' }, (params) => {
      bulks.push(params as unknown as BulkParams);
      return { errors: false, took: 1, items: [ok(), ok()] };
    });
    const outcome = await writer.indexFacts([fact(0), fact(1, { productId: '1e8d3f9a-2a7c-4c9f-8b63-66e9a8d3c222', sku: 'TEA-1', name: 'Green tea', units: 1, revenueCents: 450 })]);
    expect(outcome).toEqual({ indexed: 2, alreadyIndexed: 0, requests: 1 });
    expect(bulks).toHaveLength(1);
    expect(bulks[0]!.querystring).toEqual({ refresh: 'wait_for' });
    expect(bulks[0]!.body).toEqual([
      { index: { _index: 'shop-sales', _id: '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f:0', version: 42, version_type: 'external' } },
      {
        orderId: '7b1f0c9a-3c2d-4e5f-8a9b-0c1d2e3f4a5b', eventId: '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', lineNo: 0, kind: 'payment',
        at: '2026-11-24T10:00:00.000Z', position: 42, currency: 'EUR', productId: '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111', sku: 'MUG-1',
        name: 'Blue mug', sign: 1, orderDelta: 1, units: 2, revenueCents: 2598,
      },
      { index: { _index: 'shop-sales', _id: '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f:1', version: 42, version_type: 'external' } },
      {
        orderId: '7b1f0c9a-3c2d-4e5f-8a9b-0c1d2e3f4a5b', eventId: '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', lineNo: 1, kind: 'payment',
        at: '2026-11-24T10:00:00.000Z', position: 42, currency: 'EUR', productId: '1e8d3f9a-2a7c-4c9f-8b63-66e9a8d3c222', sku: 'TEA-1',
        name: 'Green tea', sign: 1, orderDelta: 0, units: 1, revenueCents: 450,
      },
    ]);
  });

  it('bounds each bulk and sends them one after another, only the last one waiting for a refresh', async () => {
    const { mock, writer } = setup({ maxDocuments: 2 });
    const bulks: BulkParams[] = [];
    mock.add({ method: 'POST', path: '/_bulk' }, (params) => {
      const bulk = params as unknown as BulkParams;
      bulks.push(bulk);
      return { errors: false, took: 1, items: Array.from({ length: bulk.body.length / 2 }, () => ok()) };
    });
    await writer.indexFacts([fact(0), fact(1), fact(2)]);
    expect(bulks.map((bulk) => [bulk.body.length / 2, bulk.querystring.refresh])).toEqual([
      [2, 'false'],
      [1, 'wait_for'],
    ]);
  });

  it('takes a 409 version conflict on replay as success: the document is already there at that version', async () => {
    const { mock, writer } = setup();
    mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: true,
      took: 1,
      items: [failed(409, 'version_conflict_engine_exception', '[x]: version conflict, current version [42] is higher or equal to the one provided [42]'), ok()],
    }));
    await expect(writer.indexFacts([fact(0), fact(1)])).resolves.toEqual({ indexed: 1, alreadyIndexed: 1, requests: 1 });
  });

  it('retries only the items answered 429, after an exponential back-off', async () => {
    const { mock, writer, delays } = setup();
    const sent: string[][] = [];
    mock.add({ method: 'POST', path: '/_bulk' }, (params) => {
      const bulk = params as unknown as BulkParams;
      const ids = bulk.body.filter((_, i) => i % 2 === 0).map((action) => (action.index as { _id: string })._id);
      sent.push(ids);
      if (sent.length === 1) return { errors: true, took: 1, items: [ok(), failed(429, 'es_rejected_execution_exception', 'queue full')] };
      if (sent.length === 2) return { errors: true, took: 1, items: [failed(429, 'es_rejected_execution_exception', 'queue full')] };
      return { errors: false, took: 1, items: [ok()] };
    });
    const outcome = await writer.indexFacts([fact(0), fact(1)]);
    expect(sent).toEqual([[`${fact(0).eventId}:0`, `${fact(0).eventId}:1`], [`${fact(0).eventId}:1`], [`${fact(0).eventId}:1`]]);
    expect(delays).toEqual([100, 200]);
    expect(outcome).toEqual({ indexed: 2, alreadyIndexed: 0, requests: 3 });
  });

  it('retries a whole request answered 503, and reports the sink unavailable (not the events poisoned) when it stays down', async () => {
    const { mock, writer, delays } = setup();
    mock.add({ method: 'POST', path: '/_bulk' }, () => elasticsearchErrorAnswer(503));
    await expect(writer.indexFacts([fact(0)])).rejects.toThrow(SinkUnavailable);
    expect(delays).toEqual([100, 200]);
  });

  it('does not retry a refused request (bad credentials): the sink is unavailable until fixed, no event is blamed', async () => {
    const { mock, writer, delays } = setup();
    mock.add({ method: 'POST', path: '/_bulk' }, () => elasticsearchErrorAnswer(401));
    await expect(writer.indexFacts([fact(0)])).rejects.toThrow(SinkUnavailable);
    expect(delays).toEqual([]);
  });

  it('fails loudly, naming the document and the reason, when an item is refused with 400 (never silently dropped)', async () => {
    const { mock, writer } = setup();
    mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: true,
      took: 1,
      items: [ok(), failed(400, 'document_parsing_exception', 'mapping set to strict, dynamic introduction of [extra] is not allowed')],
    }));
    const failure = writer.indexFacts([fact(0), fact(1)]);
    await expect(failure).rejects.toThrow(DocumentsRejected);
    await expect(failure).rejects.toThrow(`${fact(1).eventId}:1: 400 document_parsing_exception`);
    await expect(failure).rejects.not.toThrow(SinkUnavailable);
  });

  it('sends nothing for a batch without facts', async () => {
    const { writer } = setup();
    await expect(writer.indexFacts([])).resolves.toEqual({ indexed: 0, alreadyIndexed: 0, requests: 0 });
  });
});
