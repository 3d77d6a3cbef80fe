export type { InfraSource } from './containers.js';
export { startTestPostgres, type TestPostgres } from './postgres.js';
export { startTestRedis, type TestRedis } from './redis.js';
export { startTestNats, type TestNats } from './nats.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { describeOpenApiConformance } from './openapi-conformance.js';
export { openApiSchemaProblems } from './openapi-schema.js';
export { elasticsearchErrorAnswer, mockElasticsearch, type ElasticsearchMock, type MockedRequest } from './elasticsearch.js';
export { attackTokens, type AttackedService, type AttackVictim } from './token-attacks.js';
