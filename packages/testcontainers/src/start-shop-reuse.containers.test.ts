// Reuse across test files: a second startShop({ reuse: true }) finds the running shop (< 2 s) and its admin still
// logs in. Needs the images of `npm run containers -- build`; runs only with SHOP_TEST_CONTAINERS=1 (jest.config.js).
import { afterAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { seedProducts } from './helpers.js';
import { startShop } from './start-shop.js';

// Its own tag label-wise would need its own images; instead the reusable shop of tag `local` is removed afterwards.
afterAll(() => {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', 'label=shop.testcontainers=reuse'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length > 0) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
}, 60_000);

it('finds a running shop again in under 2 s, with its data and its admin', async () => {
  const first = await startShop({ reuse: true });
  const { products } = await seedProducts(first, 1);
  await first.stop();

  const started = performance.now();
  const again = await startShop({ reuse: true });
  const elapsed = performance.now() - started;
  expect(again.reused).toBe(true);
  expect(again.url).toBe(first.url);
  expect(elapsed).toBeLessThan(2_000);
  const read = await again.client.getProduct(products[0]!.id);
  expect(read.body.id).toBe(products[0]!.id);
}, 240_000);
