import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { InMemoryEventStore } from '@shop/kernel';
import { createLogger, createTokenService, diffRoutes, documentedRoutes, expressRoutes, OPENAPI_METHODS, OPERATIONAL_PATHS, openApiProblems } from '@shop/service-kit';
import { buildCommandApp } from './app.js';

const SERVICE = 'command-service';
const openapi: unknown = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));

describe('docs/openapi.json matches the command-service routes', () => {
  // Never queried: building the app only registers routes.
  const pool = new pg.Pool();
  const { app } = buildCommandApp({
    pool,
    bookkeeping: pool,
    store: new InMemoryEventStore(),
    tokens: createTokenService({ secret: 'x'.repeat(40), issuer: 'shop', audience: 'shop-api', ttlSeconds: 60 }),
    logger: createLogger('test', 'silent'),
    bodyLimitBytes: 64 * 1024,
    writeLimit: { burst: 1000, perSecond: 1000 },
    loginLimit: { burst: 1000, perSecond: 1000 },
  });
  const diff = diffRoutes(expressRoutes(app), documentedRoutes(openapi, SERVICE));

  afterAll(async () => {
    await pool.end();
  });

  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(openApiProblems(openapi, ['command-service', 'query-service', 'projector'])).toEqual([]);
  });

  it('documents every route the command-service serves', () => {
    expect(diff.undocumented).toEqual([]);
  });

  it('documents no command-service operation that is not served', () => {
    expect(diff.unserved).toEqual([]);
  });

  it('assigns every non-GET /api operation to the command-service, as the gateway routes it', () => {
    const paths = (openapi as { paths: Record<string, Partial<Record<string, { 'x-service'?: unknown }>>> }).paths;
    const misrouted = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, item]) => OPENAPI_METHODS.filter((method) => method !== 'get' && item[method]).map((method) => ({ method, path, service: item[method]?.['x-service'] })))
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
