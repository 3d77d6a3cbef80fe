import pg from 'pg';
import { InMemoryDataKeyRing, InMemoryEventStore } from '@shop/kernel';
import { accountTokenVersions, createLogger, createTokenService, generateEd25519KeyPair } from '@shop/service-kit';
import { describeOpenApiConformance } from '@shop/testing';
import { buildCommandApp } from './app.js';

describeOpenApiConformance({
  service: 'command-service',
  gatewayRoutes: (method) => method !== 'GET' && method !== 'HEAD',
  build: () => {
    // Never queried: building the app only registers routes.
    const pool = new pg.Pool();
    const { app } = buildCommandApp({
      pool,
      bookkeeping: pool,
      store: new InMemoryEventStore(),
      keys: new InMemoryDataKeyRing(),
      tokens: createTokenService({ privateKey: generateEd25519KeyPair().privateKey, issuer: 'shop', audience: 'shop-api', ttlSeconds: 60, versions: accountTokenVersions(pool) }),
      logger: createLogger('test', 'silent'),
      bodyLimitBytes: 64 * 1024,
      writeLimit: { burst: 1000, perSecond: 1000 },
      loginLimit: { burst: 1000, perSecond: 1000 },
    });
    return { app, close: () => pool.end() };
  },
});
