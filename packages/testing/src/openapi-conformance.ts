import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { diffRoutes, documentedRoutes, expressRoutes, OPENAPI_METHODS, OPERATIONAL_PATHS, openApiProblems, type RouteKey } from '@shop/service-kit';

const OPENAPI_FILE = new URL('../../../docs/openapi.json', import.meta.url);
const SERVICES = ['command-service', 'query-service', 'projector'];

/**
 * docs/openapi.json against a service's express routes, both ways: every served route is documented, every
 * documented operation of the service is served (except those marked `x-planned`, which must not be), and the
 * document assigns operations to services the way the gateway routes them.
 */
export function describeOpenApiConformance(options: {
  service: string;
  /**
   * Builds the app (routes only; nothing is called) and what must be closed afterwards: an express app, whose routes
   * are read off its router, or the routes a service lists itself (the query service's node:http router).
   */
  build: () => ({ app: Parameters<typeof expressRoutes>[0] } | { routes: RouteKey[] }) & { close: () => Promise<void> };
  /** The HTTP methods the gateway sends to this service. */
  gatewayRoutes: (method: string) => boolean;
}): void {
  const { service } = options;
  const openapi: unknown = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
  const paths = (openapi as { paths: Record<string, Partial<Record<string, { 'x-service'?: unknown; 'x-operational'?: unknown }>>> }).paths;

  describe(`docs/openapi.json matches the ${service} routes`, () => {
    const built = options.build();
    const served = 'routes' in built ? built.routes : expressRoutes(built.app);
    const { close } = built;
    const diff = diffRoutes(served, documentedRoutes(openapi, service));
    afterAll(close);

    it('is a structurally valid OpenAPI 3.1 document', () => {
      expect(openApiProblems(openapi, SERVICES)).toEqual([]);
    });

    it(`documents every route the ${service} serves`, () => {
      expect(diff.undocumented).toEqual([]);
    });

    it(`documents no ${service} operation that is not served, except those marked x-planned`, () => {
      expect(diff.unserved).toEqual([]);
    });

    it('serves none of the operations still marked x-planned (remove the mark when a route lands)', () => {
      const planned = documentedRoutes(openapi, service, { planned: true });
      expect(diffRoutes(served, planned).unserved).toHaveLength(planned.length);
    });

    it(`assigns to the ${service} exactly the /api operations the gateway sends it`, () => {
      const misrouted = Object.entries(paths)
        .filter(([path]) => path.startsWith('/api/'))
        .flatMap(([path, item]) =>
          OPENAPI_METHODS.filter((method) => item[method] && options.gatewayRoutes(method.toUpperCase())).map((method) => ({
            label: `${method.toUpperCase()} ${path}`,
            target: item[method]?.['x-service'],
          })),
        )
        .filter(({ target }) => target !== service)
        .map(({ label }) => label);
      expect(misrouted).toEqual([]);
    });

    it('documents /healthz, /readyz and /metrics as operational endpoints of this service', () => {
      for (const path of OPERATIONAL_PATHS) {
        expect({ path, service: paths[path]?.get?.['x-service'], operational: paths[path]?.get?.['x-operational'] }).toEqual({
          path,
          service: expect.arrayContaining([service]),
          operational: true,
        });
      }
    });
  });
}
