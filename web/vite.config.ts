import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Libraries every page needs, each in a chunk of its own: they change less often than the app (a deploy leaves them
 * cached) and keep the entry chunk small. Only these are named: a library that one route alone imports (a chart
 * library on the analytics page) stays in that route's lazy chunk instead of being pulled into a shared one.
 * The budget (largest chunk ≤ 120 KB gzipped) is enforced by web/src/bundle-budget.test.ts.
 */
const VENDOR_CHUNKS = [
  { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
  { name: 'redux', test: /[\\/]node_modules[\\/](@reduxjs|redux|react-redux|redux-thunk|reselect|immer|use-sync-external-store)[\\/]/ },
  { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/ },
  // Our own contract packages (@shop/domain, @shop/client), linked into node_modules from packages/.
  { name: 'contracts', test: /[\\/]packages[\\/](domain|client)[\\/]/ },
];

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    rolldownOptions: {
      output: {
        codeSplitting: { groups: VENDOR_CHUNKS },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
    },
  },
});
