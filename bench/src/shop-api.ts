import { generateEd25519KeyPair, keyText } from '@shop/service-kit';

/** What the HTTP suites do to the shop through its API: log in as a dev account, create the products they use. */
export const DEV_PASSWORD = 'bench-dev-password';
/** A key pair per bench run (nothing committed): the command service signs with one half, the query service verifies with the other. */
const benchKeys = generateEd25519KeyPair();
export const BENCH_JWT_PRIVATE_KEY = keyText(benchKeys.privateKey);
export const BENCH_JWT_PUBLIC_KEY = keyText(benchKeys.publicKey);

export async function login(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEV_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login ${email}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Creates `count` products through the command API, `concurrency` at a time; answers their ids in order. */
export async function createProducts(base: string, adminToken: string, count: number, concurrency: number): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  const create = async (n: number): Promise<void> => {
    const response = await fetch(`${base}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ sku: `BENCH-${n}`, name: `Bench product ${n}`, description: '', priceCents: 100 + n, currency: 'EUR', initialStock: 1_000_000_000 }),
    });
    if (response.status !== 201) throw new Error(`create product: ${response.status} ${await response.text()}`);
    ids[n] = ((await response.json()) as { id: string }).id;
  };
  for (let n = 0; n < count; n += concurrency) await Promise.all(Array.from({ length: Math.min(concurrency, count - n) }, (_, i) => create(n + i)));
  return ids;
}
