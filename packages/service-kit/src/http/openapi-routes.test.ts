import { describe, expect, it } from '@jest/globals';
import express, { Router } from 'express';
import { diffRoutes, documentedRoutes, expressRoutes, openApiProblems, toOpenApiPath } from './openapi-routes.js';

const ok = (_req: express.Request, res: express.Response): void => {
  res.end();
};

function tinyApp(): express.Express {
  const app = express();
  app.use(express.json());
  app.get('/healthz', ok);
  app.get('/metrics', ok);
  app.get('/api/things', ok);
  app.post('/api/things', ok);
  app.route('/api/things/:id').get(ok).patch(ok);

  const nested = Router();
  nested.post('/:thingId/parts/:partId', ok);
  const deeper = Router();
  deeper.delete('/', ok);
  nested.use('/deeper', deeper);
  app.use('/api/things', nested);

  const unmounted = Router();
  unmounted.put(['/api/a', '/api/b'], ok);
  app.use(unmounted);
  return app;
}

describe('expressRoutes', () => {
  it('lists every route of an express 5 app, nested routers included, in OpenAPI form, without the operational ones', () => {
    expect(expressRoutes(tinyApp())).toEqual([
      { method: 'PUT', path: '/api/a' },
      { method: 'PUT', path: '/api/b' },
      { method: 'GET', path: '/api/things' },
      { method: 'POST', path: '/api/things' },
      { method: 'DELETE', path: '/api/things/deeper' },
      { method: 'GET', path: '/api/things/{id}' },
      { method: 'PATCH', path: '/api/things/{id}' },
      { method: 'POST', path: '/api/things/{thingId}/parts/{partId}' },
    ]);
  });

  it('refuses a route it cannot express as an OpenAPI path', () => {
    const app = express();
    app.get(/^\/regex$/, ok);
    expect(() => expressRoutes(app)).toThrow(/cannot list a route/);
  });

  it('converts express parameters to OpenAPI templates', () => {
    expect(toOpenApiPath('/api/audit/streams/:stream')).toBe('/api/audit/streams/{stream}');
    expect(toOpenApiPath('/api/orders/:id/pay')).toBe('/api/orders/{id}/pay');
  });
});

const doc = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/healthz': { get: { operationId: 'h', responses: { 200: { description: 'ok' } }, 'x-service': ['a', 'b'] } },
    '/api/things': {
      get: { operationId: 'list', responses: { 200: { $ref: '#/components/responses/Ok' } }, 'x-service': 'b' },
      post: { operationId: 'create', responses: { 201: { description: 'created' } }, 'x-service': 'a' },
    },
    '/api/things/{id}': {
      parameters: [{ $ref: '#/components/parameters/id' }],
      patch: { operationId: 'update', responses: { 200: { description: 'ok' } }, 'x-service': 'a' },
    },
  },
  components: {
    responses: { Ok: { description: 'ok' } },
    parameters: { id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
  },
};

describe('documentedRoutes and diffRoutes', () => {
  it('reads the operations of one service by x-service, without the operational ones', () => {
    expect(documentedRoutes(doc, 'a')).toEqual([
      { method: 'POST', path: '/api/things' },
      { method: 'PATCH', path: '/api/things/{id}' },
    ]);
    expect(documentedRoutes(doc, 'b')).toEqual([{ method: 'GET', path: '/api/things' }]);
  });

  it('answers both directions of a comparison', () => {
    const served = [
      { method: 'POST', path: '/api/things' },
      { method: 'DELETE', path: '/api/things/{id}' },
    ];
    expect(diffRoutes(served, documentedRoutes(doc, 'a'))).toEqual({ undocumented: ['DELETE /api/things/{id}'], unserved: ['PATCH /api/things/{id}'] });
  });
});

describe('openApiProblems', () => {
  it('accepts a well-formed document', () => {
    expect(openApiProblems(doc, ['a', 'b'])).toEqual([]);
  });

  it('names a wrong version, a dangling $ref, a missing x-service, a duplicate operationId and an undeclared path parameter', () => {
    const broken = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/x/{id}': {
          get: { operationId: 'x', responses: { 200: { $ref: '#/components/responses/Missing' } } },
          put: { operationId: 'x', responses: { 200: { description: 'ok' } }, 'x-service': 'c' },
        },
      },
    };
    const problems = openApiProblems(broken, ['a', 'b']);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('expected 3.1.x'),
        expect.stringContaining('#/components/responses/Missing does not resolve'),
        expect.stringMatching(/GET \/x\/\{id\}: x-service undefined/),
        expect.stringContaining('duplicate operationId x'),
        expect.stringContaining('path parameter {id} is not declared'),
      ]),
    );
  });
});
