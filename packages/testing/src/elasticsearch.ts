import { createRequire } from 'node:module';
import { Client } from '@elastic/elasticsearch';

/**
 * Elastic's official mock (`@elastic/elasticsearch-mock`) behind a real client: every request the client sends is
 * answered by the routes a test adds, and the test sees exactly what was sent.
 *
 * The mock is CommonJS and checks `instanceof ResponseError` against the CommonJS build of the client, while our
 * code imports the ESM build (two copies of each class: the dual-package hazard). So error answers are built here
 * from the CommonJS classes; the ESM client then raises its own ResponseError for them, as against a live cluster.
 */
const require = createRequire(import.meta.url);
type MockClass = (typeof import('@elastic/elasticsearch-mock'))['default'];
type CommonJsErrors = (typeof import('@elastic/elasticsearch'))['errors'];
const ClientMock = require('@elastic/elasticsearch-mock') as MockClass;
const commonJsErrors = (require('@elastic/elasticsearch') as { errors: CommonJsErrors }).errors;

export type ElasticsearchMock = InstanceType<MockClass>;

/** What the mock hands a route: the request as sent (an NDJSON bulk body arrives as an array of objects). */
export interface MockedRequest {
  method: string;
  path: string;
  body: unknown;
  querystring: Record<string, string>;
}

export function mockElasticsearch(): { mock: ElasticsearchMock; client: Client } {
  const mock = new ClientMock();
  // No retries inside the client: the code under test owns its retry policy.
  // The mock's connection class extends the CommonJS BaseConnection; the ESM client takes it alike at run time.
  const Connection = mock.getConnection() as unknown as ConstructorParameters<typeof Client>[0]['Connection'];
  const client = new Client({ node: 'http://localhost:9200', Connection, maxRetries: 0 });
  return { mock, client };
}

/** An HTTP error answer for a mock route (e.g. 404 for a missing index, 429/503 for an overloaded cluster). */
export function elasticsearchErrorAnswer(statusCode: number, body: unknown = { error: { type: 'mocked', reason: `status ${statusCode}` }, status: statusCode }): object {
  return new commonJsErrors.ResponseError({ body, statusCode, headers: {}, warnings: null, meta: {} as never });
}
