import type { Role } from '@shop/service-kit';

/**
 * The callers a role × route test tries on every route. `owner` is the shopper whose resource it is; `otherShopper`
 * is any other shopper (someone else's order does not exist for them: 404).
 */
export type Caller = 'anonymous' | 'owner' | 'otherShopper' | 'admin' | 'auditor' | 'analyst';
export const CALLERS: readonly Caller[] = ['anonymous', 'owner', 'otherShopper', 'admin', 'auditor', 'analyst'];
export const roleOf = (caller: Exclude<Caller, 'anonymous'>): Role => (caller === 'owner' || caller === 'otherShopper' ? 'shopper' : caller);

/** Every caller gets the same answer (a public route). */
export const everyone = (status: number): Record<Caller, number> => ({ anonymous: status, owner: status, otherShopper: status, admin: status, auditor: status, analyst: status });

/** What a route answers each caller, by `METHOD /openapi/{path}`. */
export type RoleMatrix = Record<string, Record<Caller, number>>;

interface OpenApiRoles {
  paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
}

/**
 * Where a role matrix disagrees with the `x-roles` of docs/openapi.json: a caller answered 403 exactly when its role
 * is not listed, and an anonymous caller 401 exactly when the route lists roles. Empty when they agree.
 */
export function xRolesDisagreements(openapi: OpenApiRoles, matrix: RoleMatrix): Array<{ route: string; caller: Caller; expected: number; documentedRoles: string[] | undefined }> {
  const disagreements = [];
  for (const [route, expected] of Object.entries(matrix)) {
    const [method, path] = route.split(' ') as [string, string];
    const roles = openapi.paths[path]?.[method.toLowerCase()]?.['x-roles'];
    for (const caller of CALLERS) {
      const forbidden = caller !== 'anonymous' && roles !== undefined && !roles.includes(roleOf(caller));
      const unauthenticated = caller === 'anonymous' && roles !== undefined;
      const answersForbidden = expected[caller] === 403;
      const answersUnauthenticated = caller === 'anonymous' && expected[caller] === 401;
      if (forbidden !== answersForbidden || unauthenticated !== answersUnauthenticated) {
        disagreements.push({ route, caller, expected: expected[caller], documentedRoles: roles });
      }
    }
  }
  return disagreements;
}
