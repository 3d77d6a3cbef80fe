import { ShopClient, shopRequests, type CreateProductRequest } from '@shop/client';
import { generateEd25519KeyPair, keyText } from '@shop/service-kit';

/** What the HTTP suites do to the shop through its API (@shop/client): log in as a dev account, create the products they use. */
export const DEV_PASSWORD = 'bench-dev-password';
/** A key pair per bench run (nothing committed): the command service signs with one half, the query service verifies with the other. */
const benchKeys = generateEd25519KeyPair();
export const BENCH_JWT_PRIVATE_KEY = keyText(benchKeys.privateKey);
export const BENCH_JWT_PUBLIC_KEY = keyText(benchKeys.publicKey);

/** A bearer token of the dev account `email`. */
export async function login(base: string, email: string): Promise<string> {
  return (await new ShopClient({ baseUrl: base }).login(email, DEV_PASSWORD)).token;
}

/** The product the suites create as number `n`: its price differs per product, its stock never runs out. */
export const benchProduct = (n: number): CreateProductRequest => ({
  sku: `BENCH-${n}`,
  name: `Bench product ${n}`,
  description: '',
  priceCents: 100 + n,
  currency: 'EUR',
  initialStock: 1_000_000_000,
});

/** Creates `count` products through the command API, `concurrency` at a time; answers their ids in order. */
export async function createProducts(base: string, adminToken: string, count: number, concurrency: number): Promise<string[]> {
  const admin = new ShopClient({ baseUrl: base, token: adminToken });
  const ids: string[] = new Array<string>(count);
  const create = async (n: number): Promise<void> => {
    ids[n] = (await admin.call(shopRequests.createProduct(benchProduct(n)))).body.id;
  };
  for (let n = 0; n < count; n += concurrency) await Promise.all(Array.from({ length: Math.min(concurrency, count - n) }, (_, i) => create(n + i)));
  return ids;
}
