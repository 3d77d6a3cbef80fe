/**
 * Keeps docs/openapi.json honest: lists the routes an express 5 app really serves and the operations the
 * OpenAPI document says a service serves, in one shape, so a test can compare the two both ways.
 */

/** One route: upper-case method and an OpenAPI-style path (`/api/orders/{id}`). */
export interface RouteKey {
  method: string;
  path: string;
}

/** Served by every service, documented once with per-service servers: not part of the per-service comparison. */
export const OPERATIONAL_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** `/api/products/:id` → `/api/products/{id}` (express 5 / path-to-regexp 8 parameter names). */
export const toOpenApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z_$][A-Za-z0-9_$]*)/g, '{$1}');

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** A layer's or route's path(s) as strings; a RegExp path cannot be documented, so it is an error. */
function pathsOf(path: unknown, where: string): string[] {
  if (typeof path === 'string') return [path];
  if (Array.isArray(path)) return path.flat(Infinity).flatMap((p: unknown) => pathsOf(p, where));
  throw new Error(`${where}: cannot list a route whose path is ${String(path)} (use string paths)`);
}

function walk(stack: unknown, prefix: string, routes: RouteKey[]): void {
  if (!Array.isArray(stack)) return;
  for (const layer of stack as unknown[]) {
    if (!isRecord(layer)) continue;
    const route = layer.route;
    if (isRecord(route)) {
      const methods = isRecord(route.methods) ? route.methods : {};
      for (const path of pathsOf(route.path, 'route')) {
        for (const [method, enabled] of Object.entries(methods)) {
          if (enabled !== true) continue;
          routes.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path: toOpenApiPath(joinPaths(prefix, path)) });
        }
      }
      continue;
    }
    // A nested router (`app.use('/x', router)` or `app.use(router)`): its own stack, under the mount path.
    const handle = layer.handle;
    if ((typeof handle === 'function' || isRecord(handle)) && Array.isArray((handle as { stack?: unknown }).stack)) {
      // router ≥ 2.3 keeps the mount path as `rawPath`; without it the routes below could not be placed.
      if (layer.rawPath === undefined) throw new Error('cannot find the mount path of a nested router (needs router >= 2.3)');
      for (const mount of pathsOf(layer.rawPath, 'router mount')) walk((handle as { stack: unknown }).stack, joinPaths(prefix, mount), routes);
    }
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byKey = (a: RouteKey, b: RouteKey): number => compare(a.path, b.path) || compare(a.method, b.method);

function unique(routes: RouteKey[]): RouteKey[] {
  const seen = new Map<string, RouteKey>();
  for (const route of routes) seen.set(`${route.method} ${route.path}`, route);
  return [...seen.values()].sort(byKey);
}

/**
 * Every route registered on an express 5 app (`app.router.stack`, nested routers included), as
 * `{ method, path }` with OpenAPI-style parameters, sorted, without the operational endpoints.
 */
export function expressRoutes(app: { router: unknown }): RouteKey[] {
  const router = app.router;
  if (!isRecord(router) && typeof router !== 'function') throw new Error('not an express 5 app: no app.router');
  const routes: RouteKey[] = [];
  walk((router as { stack?: unknown }).stack, '/', routes);
  return unique(routes.filter((route) => !OPERATIONAL_PATHS.has(route.path)));
}

/** True when an operation's `x-service` (a name, or a list of names) names `service`. */
const servedBy = (xService: unknown, service: string): boolean =>
  xService === service || (Array.isArray(xService) && xService.includes(service));

/**
 * The operations an OpenAPI document assigns to `service` through `x-service`, as `{ method, path }`,
 * sorted, without the operational endpoints. `planned: true` lists instead the operations marked `x-planned`
 * (documented ahead of the code, not served yet); by default those are left out.
 */
export function documentedRoutes(openapi: unknown, service: string, options: { planned?: boolean } = {}): RouteKey[] {
  const paths = isRecord(openapi) ? openapi.paths : undefined;
  if (!isRecord(paths)) throw new Error('not an OpenAPI document: no paths object');
  const routes: RouteKey[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item) || OPERATIONAL_PATHS.has(path)) continue;
    for (const method of OPENAPI_METHODS) {
      const operation = item[method];
      if (!isRecord(operation) || !servedBy(operation['x-service'], service)) continue;
      if ((operation['x-planned'] !== undefined) === (options.planned ?? false)) routes.push({ method: method.toUpperCase(), path });
    }
  }
  return unique(routes);
}

export interface RouteDiff {
  /** Served by the app, missing from the document. */
  undocumented: string[];
  /** Documented for the service, not served by the app. */
  unserved: string[];
}

/** Both directions of the comparison, as `METHOD /path` strings (easy to read in a failed assertion). */
export function diffRoutes(served: RouteKey[], documented: RouteKey[]): RouteDiff {
  const key = (route: RouteKey): string => `${route.method} ${route.path}`;
  const servedKeys = new Set(served.map(key));
  const documentedKeys = new Set(documented.map(key));
  return {
    undocumented: [...servedKeys].filter((k) => !documentedKeys.has(k)),
    unserved: [...documentedKeys].filter((k) => !servedKeys.has(k)),
  };
}

/**
 * A structural check of an OpenAPI 3.1 document, for a test without a validator dependency: the version,
 * every local `$ref` resolves, every operation has responses, an operationId (unique) and an `x-service`.
 * Answers the problems found (empty when none).
 */
export function openApiProblems(openapi: unknown, services: readonly string[]): string[] {
  const problems: string[] = [];
  if (!isRecord(openapi)) return ['the document is not an object'];
  if (typeof openapi.openapi !== 'string' || !/^3\.1\.\d+$/.test(openapi.openapi)) problems.push(`openapi is ${String(openapi.openapi)}, expected 3.1.x`);
  if (!isRecord(openapi.info) || typeof openapi.info.title !== 'string' || typeof openapi.info.version !== 'string') problems.push('info.title and info.version are required');

  /** The node a local `$ref` points at, or undefined. */
  const resolve = (ref: string): unknown => {
    if (!ref.startsWith('#/')) return undefined;
    let node: unknown = openapi;
    for (const raw of ref.slice(2).split('/')) {
      const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isRecord(node) || !(segment in node)) return undefined;
      node = node[segment];
    }
    return node;
  };
  const deref = (node: unknown): unknown => (isRecord(node) && typeof node.$ref === 'string' ? resolve(node.$ref) : node);
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, `${at}/${i}`));
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.$ref === 'string' && resolve(node.$ref) === undefined) problems.push(`${at}: $ref ${node.$ref} does not resolve`);
    for (const [key, child] of Object.entries(node)) visit(child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  visit(openapi, '#');

  const operationIds = new Set<string>();
  const paths = isRecord(openapi.paths) ? openapi.paths : {};
  if (!isRecord(openapi.paths)) problems.push('paths is required');
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    if (!isRecord(item)) continue;
    for (const method of OPENAPI_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const name = `${method.toUpperCase()} ${path}`;
      if (!isRecord(operation)) {
        problems.push(`${name}: not an object`);
        continue;
      }
      if (!isRecord(operation.responses) || Object.keys(operation.responses).length === 0) problems.push(`${name}: no responses`);
      if (typeof operation.operationId !== 'string') problems.push(`${name}: no operationId`);
      else if (operationIds.has(operation.operationId)) problems.push(`${name}: duplicate operationId ${operation.operationId}`);
      else operationIds.add(operation.operationId);
      const xService = operation['x-service'];
      const named = Array.isArray(xService) ? (xService as unknown[]) : [xService];
      if (named.length === 0 || !named.every((s) => typeof s === 'string' && services.includes(s))) {
        problems.push(`${name}: x-service ${JSON.stringify(xService)} is not one of ${services.join(', ')}`);
      }
      const listed = (parameters: unknown): unknown[] => (Array.isArray(parameters) ? (parameters as unknown[]) : []);
      const declared = [...listed(item.parameters), ...listed(operation.parameters)]
        .map(deref)
        .filter(isRecord);
      const pathParameters = new Set(declared.filter((p) => p.in === 'path').map((p) => String(p.name)));
      for (const template of path.match(/\{[^}]+\}/g) ?? []) {
        if (!pathParameters.delete(template.slice(1, -1))) problems.push(`${name}: path parameter ${template} is not declared`);
      }
      for (const extra of pathParameters) problems.push(`${name}: path parameter ${extra} is not in the path`);
    }
  }
  return problems;
}
