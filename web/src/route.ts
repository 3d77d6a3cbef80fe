import { useSyncExternalStore } from 'react';

export type Route = { page: 'catalog' } | { page: 'login' } | { page: 'product'; id: string } | { page: 'notFound' };

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function parse(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { page: 'catalog' };
  if (path === '/login') return { page: 'login' };
  const product = /^\/products\/([^/]+)$/.exec(path);
  if (product?.[1]) return { page: 'product', id: decodeURIComponent(product[1]) };
  return { page: 'notFound' };
}

/** Tiny hash router: `#/`, `#/login`, `#/products/:id`. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parse(hash);
}

export function navigate(path: string): void {
  window.location.hash = path;
}
