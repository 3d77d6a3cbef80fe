import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { CATALOG_PROJECTION } from '@shop/read-models';
import { createLogger, diffRoutes, documentedRoutes, expressRoutes, OPENAPI_METHODS, OPERATIONAL_PATHS, openApiProblems } from '@shop/service-kit';
import { buildQueryApp } from './app.js';
import { InProcessReadCache } from './cache/read-cache.js';
import { PositionTracker } from './read-your-writes/position-tracker.js';

const SERVICE = 'query-service';
const openapi: unknown = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));

describe('docs/openapi.json matches the query-service routes', () => {
  // Never queried: building the app only registers routes (the tracker is never started).
  const pool = new pg.Pool();
  const { app } = buildQueryApp({
    pool,
    cache: new InProcessReadCache(),
    catalogPosition: new PositionTracker(pool, CATALOG_PROJECTION),
    logger: createLogger('test', 'silent'),
    maxConsistencyWaitMs: 10,
    readiness: async () => undefined,
  });
  const diff = diffRoutes(expressRoutes(app), documentedRoutes(openapi, SERVICE));

  afterAll(async () => {
    await pool.end();
  });

  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(openApiProblems(openapi, ['command-service', 'query-service', 'projector'])).toEqual([]);
  });

  it('documents every route the query-service serves', () => {
    expect(diff.undocumented).toEqual([]);
  });

  it('documents no query-service operation that is not served, except those marked x-planned', () => {
    expect(diff.unserved).toEqual([]);
  });

  it('serves none of the operations still marked x-planned (remove the mark when a route lands)', () => {
    const planned = documentedRoutes(openapi, SERVICE, { planned: true });
    expect(diffRoutes(expressRoutes(app), planned).unserved).toHaveLength(planned.length);
  });

  it('assigns every GET /api operation to the query-service, as the gateway routes it', () => {
    const paths = (openapi as { paths: Record<string, Partial<Record<string, { 'x-service'?: unknown }>>> }).paths;
    const misrouted = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, item]) => OPENAPI_METHODS.filter((method) => method === 'get' && item[method]).map((method) => ({ method, path, service: item[method]?.['x-service'] })))
      .filter(({ service }) => service !== SERVICE)
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(misrouted).toEqual([]);
  });

  it('documents /healthz, /readyz and /metrics as operational endpoints of this service', () => {
    const paths = (openapi as { paths: Record<string, { get?: { 'x-service'?: unknown; 'x-operational'?: unknown } }> }).paths;
    for (const path of OPERATIONAL_PATHS) {
      expect({ path, service: paths[path]?.get?.['x-service'], operational: paths[path]?.get?.['x-operational'] }).toEqual({
        path,
        service: expect.arrayContaining([SERVICE]),
        operational: true,
      });
    }
  });
});
