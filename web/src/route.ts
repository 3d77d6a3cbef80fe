import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'catalog' }
  | { page: 'login'; next: string | null }
  | { page: 'register' }
  | { page: 'product'; id: string }
  | { page: 'cart' }
  | { page: 'orders' }
  | { page: 'order'; id: string }
  | { page: 'auditLog' }
  | { page: 'auditStream'; stream: string }
  | { page: 'auditOrder'; id: string | null }
  | { page: 'verify' }
  | { page: 'sales' }
  | { page: 'adminOrders' }
  | { page: 'adminProducts' }
  | { page: 'deadLetters' }
  | { page: 'notFound' };

export type Page = Route['page'];

const FIXED: Record<string, Route> = {
  '/': { page: 'catalog' },
  '/register': { page: 'register' },
  '/cart': { page: 'cart' },
  '/orders': { page: 'orders' },
  '/audit': { page: 'auditLog' },
  '/audit/orders': { page: 'auditOrder', id: null },
  '/audit/verify': { page: 'verify' },
  '/analytics': { page: 'sales' },
  // The admin's pages; the orders' filters and the dead letters' projection live in the hash's query.
  '/admin/orders': { page: 'adminOrders' },
  '/admin/products': { page: 'adminProducts' },
  '/admin/dead-letters': { page: 'deadLetters' },
};

const WITH_ID: Array<[RegExp, (id: string) => Route]> = [
  [/^\/products\/([^/]+)$/, (id) => ({ page: 'product', id })],
  [/^\/orders\/([^/]+)$/, (id) => ({ page: 'order', id })],
  [/^\/audit\/streams\/([^/]+)$/, (stream) => ({ page: 'auditStream', stream })],
  [/^\/audit\/orders\/([^/]+)$/, (id) => ({ page: 'auditOrder', id })],
];

/** Only paths inside the app: `next` must never send a user elsewhere. */
const safeNext = (next: string | null): string | null => (next && /^\/(?!\/)/.test(next) ? next : null);

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** `#/orders/42?x=1` → the route; unknown paths are `notFound`. */
export function parseRoute(hash: string): Route {
  const [path = '/', query = ''] = (hash.replace(/^#/, '') || '/').split('?', 2);
  if (path === '/login') return { page: 'login', next: safeNext(new URLSearchParams(query).get('next')) };
  const fixed = FIXED[path];
  if (fixed) return fixed;
  for (const [pattern, route] of WITH_ID) {
    const segment = pattern.exec(path)?.[1];
    const id = segment === undefined ? null : decode(segment);
    if (id) return route(id);
  }
  return { page: 'notFound' };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The location's hash as it changes; a page that keeps state in the hash's query (the catalog's search) reads it. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

/** Tiny hash router: `#/`, `#/products/:id`, `#/orders/:id`, `#/audit/…` (see FIXED and WITH_ID). */
export function useRoute(): Route {
  return parseRoute(useHash());
}

export function navigate(path: string): void {
  window.location.hash = path;
}

/** Hrefs, built in one place so a path is spelt once. */
export const href = {
  catalog: () => '#/',
  login: (next?: string) => (next ? `#/login?next=${encodeURIComponent(next)}` : '#/login'),
  register: () => '#/register',
  product: (id: string) => `#/products/${encodeURIComponent(id)}`,
  cart: () => '#/cart',
  orders: () => '#/orders',
  order: (id: string) => `#/orders/${encodeURIComponent(id)}`,
  auditLog: () => '#/audit',
  auditStream: (stream: string) => `#/audit/streams/${encodeURIComponent(stream)}`,
  auditOrder: (id?: string) => (id ? `#/audit/orders/${encodeURIComponent(id)}` : '#/audit/orders'),
  verify: () => '#/audit/verify',
  sales: () => '#/analytics',
  adminOrders: (query = '') => (query ? `#/admin/orders?${query}` : '#/admin/orders'),
  adminProducts: () => '#/admin/products',
  deadLetters: (query = '') => (query ? `#/admin/dead-letters?${query}` : '#/admin/dead-letters'),
};
