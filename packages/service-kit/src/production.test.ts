import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateEd25519KeyPair, keyIdOf } from './auth/keys.js';
import { KNOWN_DEFAULT_SECRETS, productionProblems, secretWeakness, urlPasswordWeakness } from './production.js';

const strong = 'q3Vh9Zt1xLw0pK7bN2mR5sY8uE4cJ6aDfGiHoTvW'; // 40 characters, 40 distinct
const strongUrl = `postgres://shop_command:${strong}@db:5432/shop`;

describe('production mode: which secrets are refused', () => {
  it.each([...KNOWN_DEFAULT_SECRETS])('refuses the repository default %p', (value) => {
    expect(secretWeakness(value)).toBeDefined();
  });

  it.each([
    ['short', 'Zt1xLw0pK7bN2mR5sY8uE4c', /shorter than 32/],
    ['a placeholder', 'please-change-me-before-going-live-0123456789', /placeholder/],
    ['repetitive', 'abababababababababababababababababab', /repetitive/],
  ])('refuses a %s secret', (_what, value, reason) => {
    expect(secretWeakness(value)).toMatch(reason);
  });

  it('accepts 32 random bytes as base64 or hex', () => {
    expect(secretWeakness('k1Pq0dM2Qm8o4gJb2Y7oSg0vJ3n1Wl6Yq9XcQv0mZ4E=')).toBeUndefined();
    expect(secretWeakness('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBeUndefined();
  });

  it('refuses a database URL without a password or with a weak one, and accepts a strong one or certificates', () => {
    expect(urlPasswordWeakness('postgres://postgres@127.0.0.1:5432/shop', true)).toMatch(/no password/);
    expect(urlPasswordWeakness('postgres://shop:postgres@db:5432/shop', true)).toMatch(/default of this repository/);
    expect(urlPasswordWeakness(`postgres://shop:${encodeURIComponent('shop-dev-password')}@db/shop`, true)).toMatch(/default/);
    expect(urlPasswordWeakness(strongUrl, true)).toBeUndefined();
    expect(urlPasswordWeakness('postgres://shop@db/shop?sslcert=/run/secrets/cert.pem', true)).toBeUndefined();
    expect(urlPasswordWeakness('redis://redis:6379', false)).toBeUndefined();
    expect(urlPasswordWeakness('redis://:short@redis:6379', false)).toMatch(/shorter than 32/);
  });

  it('names every offending setting, one line each', () => {
    const devKeys = generateEd25519KeyPair();
    const problems = productionProblems(
      {
        developmentOnly: { DEV_USERS_PASSWORD: 'shop-dev-password', UNSET_ONE: undefined },
        urls: { DATABASE_URL: { url: 'postgres://postgres@127.0.0.1:5432/shop', passwordRequired: true }, REDIS_URL: { url: undefined, passwordRequired: false } },
        keys: { JWT_PRIVATE_KEY: devKeys.privateKey },
        secrets: { SOME_SECRET: 'x'.repeat(40) },
      },
      new Set([keyIdOf(devKeys.publicKey)]),
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual(['DEV_USERS_PASSWORD', 'SOME_SECRET', 'DATABASE_URL', 'JWT_PRIVATE_KEY']);
  });

  it('refuses the master key of personal data that npm start generated, however random it looks', () => {
    const generated = randomBytes(32).toString('base64');
    const other = randomBytes(32).toString('base64');
    const problems = productionProblems({ secrets: { DATA_KEY_ENCRYPTION_KEY: generated } }, new Set(), new Set([generated]));
    expect(problems).toEqual([expect.stringMatching(/^DATA_KEY_ENCRYPTION_KEY: is the development value/)]);
    expect(productionProblems({ secrets: { DATA_KEY_ENCRYPTION_KEY: other } }, new Set(), new Set([generated]))).toEqual([]);
  });

  it('finds nothing to refuse in settings fit for production', () => {
    const keys = generateEd25519KeyPair();
    expect(
      productionProblems(
        { developmentOnly: { DEV_USERS_PASSWORD: undefined }, urls: { DATABASE_URL: { url: strongUrl, passwordRequired: true } }, keys: { JWT_PUBLIC_KEY: keys.publicKey } },
        new Set([keyIdOf(generateEd25519KeyPair().publicKey)]),
      ),
    ).toEqual([]);
  });
});
