import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { ShopClient, shopRequests } from '@shop/client';
import { retryUntil } from '@shop/testing';
import { which } from './infra/which.js';
import { repoPath } from './paths.js';
import type { RunningStack } from './stack.js';
import { E2E_PASSWORD, logInAs, withBrowser } from './testing/browser.js';
import { climbsOutOfTheWebRoot, rawRequest } from './testing/raw-request.js';
import { startTestStack } from './testing/test-stack.js';

const PASSWORD = E2E_PASSWORD;

/**
 * The page's globals the tests read, typed here: the stack workspace has no DOM types, and a string evaluated in the
 * page would be `eval`, which the gateway's CSP refuses.
 */
interface PageGlobals {
  document: { activeElement: { getAttribute(name: string): string | null } | null; documentElement: { scrollWidth: number } };
}

/** The data-testid of the element that has the focus, if any. */
const focusedTestId = (page: Page): Promise<string | null> =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('data-testid') ?? null);

/** Resolves with what `attempt` finds, trying every 200 ms; fails after `timeoutMs`. */
const eventually = <T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> =>
  retryUntil(
    what,
    async () => {
      const found = await attempt();
      if (found === undefined) throw new Error('not yet');
      return found;
    },
    { timeoutMs, intervalMs: 200 },
  );

/** CI installs nginx and Prometheus (.ci/run): there, a test that needs one must fail without it, not pass quietly. */
const IN_CI = process.env.CI === 'true';

/**
 * End to end, as `npm start` runs it: real Postgres, Redis and NATS (containers when Docker answers), the three
 * services as child processes, the gateway (nginx when installed) and Prometheus when installed.
 */
describe('the whole shop through the gateway', () => {
  let stack: RunningStack;
  const lines: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ DEV_USERS_PASSWORD: PASSWORD }, (line) => lines.push(line));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const login = async (email: string): Promise<string> => {
    const response = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  };

  it('says it runs in development mode, with a development key pair it generated into SHOP_DATA_DIR', () => {
    expect(lines.filter((line) => line.startsWith('Development mode (npm start):'))).toHaveLength(1);
    expect(lines).toContainEqual(expect.stringMatching(/^JWT: generated a development key pair in .*dev-keys/));
  });

  it('revokes a token at logout: refused for writes at once, for reads within the token-version cache (5 s)', async () => {
    const email = `e2e-logout-${Date.now()}@example.com`;
    const registered = await fetch(`${stack.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'e2e-logout-password', name: 'Leaving Soon' }),
    });
    expect(registered.status).toBe(201);
    const shopper = new ShopClient({ baseUrl: stack.url });
    await shopper.login(email, 'e2e-logout-password');
    const { token } = (await (await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'e2e-logout-password' }),
    })).json()) as { token: string };
    const read = (): Promise<number> => fetch(`${stack.url}/api/orders`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await read()).toBe(200);
    await shopper.logout(); // the client's own session; `token` is another session of the same account
    const write = await fetch(`${stack.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(write.status).toBe(401);
    // The query service trusted the version it cached at the first read for at most 5 s: bounded, not immediate.
    await eventually('the read refused', async () => ((await read()) === 401 ? true : undefined), 15_000);
  });

  it('uses nginx as the gateway when it is installed (and in CI, where it must be)', () => {
    if (IN_CI) expect(which('nginx')).toBeDefined();
    expect(stack.gateway).toBe(which('nginx') ? 'nginx' : 'node');
  });

  it('never serves a file from outside the web root, however the climb is spelled (sent raw: fetch would resolve it)', async () => {
    const index = readFileSync(repoPath('web/dist/index.html'), 'utf8');
    // The web root is web/dist: one level up is web/package.json, two levels up the repository's package.json.
    for (const path of [...climbsOutOfTheWebRoot(1, 'package.json'), ...climbsOutOfTheWebRoot(2, 'package.json')]) {
      const answer = await rawRequest(stack.url, path);
      const served = answer.status !== 200 ? `refused ${answer.status}` : answer.body === index ? 'the app' : answer.body.slice(0, 60);
      // Refused outright (nginx answers 400), or the app's own page (a path that is not a file): never anything else.
      expect({ path, served }).toEqual({ path, served: expect.stringMatching(/^(the app|refused 400)$/) });
    }
  });

  it('lets an admin create a product and reads it back, fresh, through the gateway', async () => {
    const token = await login('admin@shop.local');
    const created = await fetch(`${stack.url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ sku: 'E2E-MUG', name: 'End-to-end mug', description: 'Made by the e2e test', priceCents: 1450, currency: 'EUR', initialStock: 12 }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const consistencyToken = created.headers.get('consistency-token');
    expect(consistencyToken).toMatch(/^\d+$/);

    const byId = await fetch(`${stack.url}/api/products/${id}`, { headers: { 'consistency-token': consistencyToken! } });
    expect(byId.status).toBe(200);
    expect(BigInt(byId.headers.get('read-model-position')!)).toBeGreaterThanOrEqual(BigInt(consistencyToken!));
    expect(await byId.json()).toEqual({
      id, sku: 'E2E-MUG', name: 'End-to-end mug', description: 'Made by the e2e test',
      priceCents: 1450, currency: 'EUR', stockAvailable: 12, status: 'active', imageUrl: null, version: 1,
    });

    const list = await fetch(`${stack.url}/api/products`, { headers: { 'consistency-token': consistencyToken! } });
    const { items, nextCursor } = (await list.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(items.map((p) => p.id)).toContain(id);
    expect(nextCursor).toBeNull();
  });

  it('reads every one of 1,000 sequential place-then-read pairs back at once with the client helper (read-your-writes, zero misses)', async () => {
    const admin = new ShopClient({ baseUrl: stack.url });
    await admin.login('admin@shop.local', PASSWORD);
    const { body: product } = await admin.call(
      shopRequests.createProduct({ sku: 'E2E-RYW', name: 'Read-your-writes kettle', description: '', priceCents: 2500, currency: 'EUR', initialStock: 1_000_000 }),
    );
    const shopper = new ShopClient({ baseUrl: stack.url });
    await shopper.login('shopper@shop.local', PASSWORD);
    const address = { line1: '1 Test Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };
    let misses = 0;
    for (let i = 0; i < 1_000; i++) {
      const placed = await shopper.placeOrder([{ productId: product.id, quantity: 1 }], address);
      // The very next read, with the session's Consistency-Token: the new order must be there, never a 404.
      const read = await shopper.getOrder(placed.body.orderId).catch(() => undefined);
      if (read?.body.id !== placed.body.orderId || BigInt(read.position!) < BigInt(placed.position!)) misses += 1;
    }
    expect(misses).toBe(0);
  }, 180_000);

  it('answers bad writes through the gateway with problem+json and no write', async () => {
    const noToken = await fetch(`${stack.url}/api/products`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves /metrics, /healthz and /readyz on every service', async () => {
    const ports = [stack.ports.command, stack.ports.query, stack.ports.projector];
    for (const port of ports) {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(`${port}${path} ${response.status}`).toBe(`${port}${path} 200`);
      }
    }
  });

  it('has Prometheus scraping every service when Prometheus is installed (and in CI, where it must be)', async () => {
    if (IN_CI) expect(which('prometheus')).toBeDefined();
    if (!stack.prometheusUrl) {
      expect(which('prometheus')).toBeUndefined();
      return;
    }
    const jobs = await eventually('every target up', async () => {
      const response = await fetch(`${stack.prometheusUrl}/api/v1/targets`);
      const body = (await response.json()) as { data: { activeTargets: Array<{ labels: { job: string }; health: string }> } };
      const up = body.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.job).sort();
      return up.length === 3 ? up : undefined;
    });
    expect(jobs).toEqual(['command-service', 'projector', 'query-service']);
    const rules = (await (await fetch(`${stack.prometheusUrl}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string }> }> } };
    expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name)).sort()).toEqual(
      [
        'ShopDependencyDown',
        'ShopDiskSpaceLow',
        'ShopExporterDown',
        'ShopHighLatency',
        'ShopProjectionDeadLetters',
        'ShopProjectionLagging',
        'ShopRelayStalled',
        'ShopServerErrors',
        'ShopServiceDown',
      ],
    );
  }, 30_000);

  it('shows an admin the product they create in the web app, in a real browser', async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await logInAs(page, stack.url, 'admin@shop.local', 'admin');
      await page.getByTestId('product-sku').fill('WEB-TEAPOT');
      await page.getByTestId('product-name').fill('Browser teapot');
      await page.getByTestId('product-description').fill('Created through the web app');
      await page.getByTestId('product-price').fill('24.90');
      await page.getByTestId('product-currency').selectOption('EUR');
      await page.getByTestId('product-stock').fill('3');
      await page.getByTestId('product-submit').click();
      const row = page.getByTestId('product-row').filter({ hasText: 'Browser teapot' });
      await row.waitFor({ timeout: 10_000 });
      expect(await row.innerText()).toContain('WEB-TEAPOT');
    });
  }, 60_000);

  /** A product of the test's own, created through the API and read back fresh (so the catalog shows it). */
  const createProduct = async (sku: string, name: string, priceCents: number, initialStock: number): Promise<string> => {
    const token = await login('admin@shop.local');
    const created = await fetch(`${stack.url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ sku, name, description: 'For the browser journey', priceCents, currency: 'EUR', initialStock }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const fresh = await fetch(`${stack.url}/api/products/${id}`, { headers: { 'consistency-token': created.headers.get('consistency-token')! } });
    expect(fresh.status).toBe(200);
    return id;
  };

  it('lets a shopper put a product in the cart, check out and see the new order on its page at once, then in My orders', async () => {
    const productId = await createProduct('E2E-KETTLE', 'Journey kettle', 3990, 4);
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const orderReads: Array<{ url: string; consistencyToken: string | undefined }> = [];
      page.on('request', (request) => {
        if (request.method() === 'GET' && /\/api\/orders\/[0-9a-f-]{36}$/.test(new URL(request.url()).pathname)) {
          orderReads.push({ url: request.url(), consistencyToken: request.headers()['consistency-token'] });
        }
      });
      await logInAs(page, stack.url, 'shopper@shop.local', 'shopper');

      await page.getByTestId('product-row').filter({ hasText: 'Journey kettle' }).getByRole('link', { name: 'Journey kettle' }).click();
      await page.getByTestId('product-detail').filter({ hasText: 'Journey kettle' }).waitFor();
      expect(new URL(page.url()).hash).toBe(`#/products/${productId}`);
      await page.getByTestId('add-quantity').fill('2');
      await page.getByTestId('add-to-cart').click();
      await page.getByTestId('in-cart').filter({ hasText: '2 in your cart' }).waitFor();

      await page.getByTestId('nav-cart').click();
      // count() does not wait: let the cart page render its line first.
      await page.getByTestId('cart-line').first().waitFor();
      expect(await page.getByTestId('cart-line').count()).toBe(1);
      // An empty address is refused beside its fields, nothing is sent, and the focus lands on the first to fix.
      await page.getByTestId('place-order').click();
      await eventually('the focus on the first field to fix', async () => ((await focusedTestId(page)) === 'address-line1' ? true : undefined), 5_000);
      expect(await page.getByTestId('address-line1').getAttribute('aria-invalid')).toBe('true');
      await page.getByTestId('address-line1').fill('12 St James Square');
      await page.getByTestId('address-postalCode').fill('SW1Y 4JH');
      await page.getByTestId('address-city').fill('London');
      await page.getByTestId('address-country').fill('gb');
      // Marks this document: if the app reloaded the page to show the order, the mark would be gone.
      await page.evaluate(() => Object.assign(globalThis, { journeyMark: 'same document' }));
      const placed = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/orders');
      await page.getByTestId('place-order').click();
      const answer = await placed;
      expect(answer.status()).toBe(201);
      const { orderId } = (await answer.json()) as { orderId: string };
      const writeToken = answer.headers()['consistency-token'];
      expect(writeToken).toMatch(/^\d+$/);

      // The order page shows the order straight away: its read carried the write's Consistency-Token, so the query
      // service waited for the orders read model instead of answering 404. Playwright's auto-wait is the only wait.
      const detail = page.getByTestId('order-detail');
      await detail.waitFor({ timeout: 5_000 });
      expect(new URL(page.url()).hash).toBe(`#/orders/${orderId}`);
      expect(await page.evaluate(() => (globalThis as { journeyMark?: string }).journeyMark)).toBe('same document');
      expect(await detail.getByTestId('order-id').innerText()).toBe(orderId);
      expect(await detail.getByTestId('order-status').innerText()).toBe('placed');
      expect(await detail.getByTestId('order-line').innerText()).toContain('Journey kettle');
      expect(await detail.getByTestId('order-total').innerText()).toContain('79.80');
      expect(orderReads.length).toBeGreaterThan(0);
      for (const read of orderReads) expect(BigInt(read.consistencyToken ?? '0')).toBeGreaterThanOrEqual(BigInt(writeToken!));
      // Paying is a write too: its token rides on the refetch, which shows the new status without a reload.
      await page.getByTestId('pay-method').selectOption('invoice');
      await page.getByTestId('pay').click();
      await detail.getByTestId('order-status').filter({ hasText: 'paid' }).waitFor({ timeout: 5_000 });
      expect(await detail.innerText()).toContain('by invoice');

      await page.getByTestId('nav-orders').click();
      const row = page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
      await row.waitFor({ timeout: 5_000 });
      expect(await row.innerText()).toContain('2 × Journey kettle');
      expect(await row.getByTestId('order-status').innerText()).toBe('paid');
      // The cart became the order.
      await page.getByTestId('nav-cart').click();
      await page.getByTestId('cart-empty').waitFor();
    });
  }, 60_000);

  it('serves a guest on a phone (360 and 414 px): a folding menu, search kept in the hash, a bounded quantity, a cart that survives a reload, and nothing wider than the screen', async () => {
    await createProduct('E2E-CUP', 'Pocket espresso cup', 1250, 3);
    await withBrowser(async (browser) => {
      for (const width of [360, 414]) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        const fitsTheScreen = async (where: string) =>
          expect({ where, width: await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth) }).toEqual({ where, width });
        await page.goto(`${stack.url}/#/`);

        // The header folds: the menu button opens the links, Escape closes them and gives the focus back.
        const menu = page.getByTestId('menu-button');
        expect(await menu.getAttribute('aria-expanded')).toBe('false');
        expect(await page.getByTestId('nav-cart').isVisible()).toBe(false);
        await menu.click();
        await page.getByTestId('nav-cart').waitFor();
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        await page.keyboard.press('Escape');
        expect(await menu.getAttribute('aria-expanded')).toBe('false');
        expect(await focusedTestId(page)).toBe('menu-button');

        // The search goes into the hash once the typing pauses; the API's ranked search answers it.
        await page.getByTestId('catalog-search').fill('espresso');
        await eventually('the search in the hash', async () => (new URL(page.url()).hash === '#/?q=espresso' ? true : undefined), 5_000);
        const card = page.getByTestId('product-row').filter({ hasText: 'Pocket espresso cup' });
        await card.waitFor({ timeout: 10_000 });
        expect(await page.getByTestId('result-count').innerText()).toMatch(/^\d+\+? products?$/);
        expect(await card.getByTestId('stock-badge').innerText()).toBe('Only 3 left');
        await fitsTheScreen('catalog');
        // A reload shows the same search.
        await page.reload();
        await card.waitFor({ timeout: 10_000 });
        expect(await page.getByTestId('catalog-search').inputValue()).toBe('espresso');
        // Nothing found: the empty state says so.
        await page.getByTestId('catalog-search').fill('zzqxnothing');
        await page.getByTestId('empty').waitFor({ timeout: 10_000 });
        await page.goBack();
        await card.waitFor({ timeout: 10_000 });

        // The quantity is bounded by the stock.
        await card.getByRole('link', { name: 'Pocket espresso cup' }).click();
        await page.getByTestId('product-detail').waitFor();
        await page.getByTestId('add-quantity').fill('4');
        expect(await page.getByTestId('add-to-cart').isDisabled()).toBe(true);
        await page.getByTestId('add-quantity').fill('2');
        await page.getByTestId('add-to-cart').click();
        await page.getByTestId('in-cart').filter({ hasText: '2 in your cart' }).waitFor();
        await fitsTheScreen('product page');

        // The cart is still there after a reload (localStorage), and fits the screen (its table scrolls in its box).
        await page.goto(`${stack.url}/#/cart`);
        await page.reload();
        await page.getByTestId('cart-line').first().waitFor();
        expect(await page.getByTestId('cart-quantity').inputValue()).toBe('2');
        await fitsTheScreen('cart');
        await page.goto(`${stack.url}/#/login`);
        await page.getByTestId('login-email').waitFor();
        await fitsTheScreen('login');
        await page.close();
      }
    });
  }, 90_000);

  it('refuses an admin edit of a product changed since it was read (412), and offers the current version to edit', async () => {
    const productId = await createProduct('E2E-LAMP', 'Desk lamp', 2500, 2);
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await logInAs(page, stack.url, 'admin@shop.local', 'admin');
      await page.goto(`${stack.url}/#/products/${productId}`);
      await page.getByTestId('edit-product').click();
      await page.getByTestId('edit-price').fill('27.00');

      // Meanwhile another admin renames it: version 1 → 2.
      const token = await login('admin@shop.local');
      const renamed = await fetch(`${stack.url}/api/products/${productId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'if-match': '"1"' },
        body: JSON.stringify({ name: 'Reading lamp' }),
      });
      expect(renamed.status).toBe(200);

      const patches: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'PATCH') patches.push(request.headers()['if-match'] ?? '(none)');
      });
      await page.getByTestId('save-product').click();
      await page.getByTestId('edit-status').filter({ hasText: 'changed since you read it' }).waitFor({ timeout: 5_000 });
      const fresh = page.getByTestId('fresh-version');
      await fresh.waitFor({ timeout: 5_000 });
      expect(await fresh.innerText()).toContain('Reading lamp');

      await page.getByTestId('reload-product').click();
      expect(await page.getByTestId('edit-name').inputValue()).toBe('Reading lamp');
      await page.getByTestId('edit-price').fill('27.00');
      await page.getByTestId('save-product').click();
      await page.getByTestId('edit-status').filter({ hasText: 'Saved' }).waitFor({ timeout: 5_000 });
      expect(patches).toEqual(['"1"', '"2"']);
      // The refetch the save triggered carries its Consistency-Token, so it shows the new price.
      await page.getByTestId('product-price-shown').filter({ hasText: '27.00' }).waitFor({ timeout: 5_000 });
    });
  }, 60_000);

  it('lets an admin ship and refund a paid order from the list of all orders', async () => {
    const productId = await createProduct('E2E-RUG', 'Small rug', 12000, 3);
    const shopper = await login('shopper@shop.local');
    const write = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper}`, ...headers }, body: JSON.stringify(body) });
    const placed = await write('/api/orders', { lines: [{ productId, quantity: 1 }], shippingAddress: { line1: '1 Main St', city: 'Bern', postalCode: '3000', country: 'CH' } }, { 'idempotency-key': `e2e-rug-${Date.now()}` });
    expect(placed.status).toBe(201);
    const { orderId } = (await placed.json()) as { orderId: string };
    const paid = await write(`/api/orders/${orderId}/pay`, { method: 'card' });
    expect(paid.status).toBe(200);
    // Read back fresh once, so the admin's list (which has no token of the shopper's writes) already holds it.
    const admin = await login('admin@shop.local');
    const fresh = await fetch(`${stack.url}/api/orders/${orderId}`, { headers: { authorization: `Bearer ${admin}`, 'consistency-token': paid.headers.get('consistency-token')! } });
    expect(fresh.status).toBe(200);

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await logInAs(page, stack.url, 'admin@shop.local', 'admin');
      // An admin's "Orders" is the list of all orders with their filters.
      await page.getByTestId('nav-adminOrders').click();
      const row = page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
      await row.waitFor({ timeout: 5_000 });
      expect(await row.getByTestId('order-status').innerText()).toBe('paid');
      await row.getByTestId('ship').click();
      await row.getByTestId('order-status').filter({ hasText: 'shipped' }).waitFor({ timeout: 5_000 });
      await row.getByTestId('refund').click();
      await row.getByTestId('order-status').filter({ hasText: 'refunded' }).waitFor({ timeout: 5_000 });
      expect(await row.getByTestId('ship').count()).toBe(0);
    });
  }, 60_000);

  it('lets an auditor verify the log from the web app and read it from the start', async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await logInAs(page, stack.url, 'auditor@shop.local', 'auditor');
      await page.getByTestId('nav-verify').click();
      await page.getByTestId('verify').click();
      const verdict = page.getByTestId('verify-result');
      await verdict.waitFor({ timeout: 10_000 });
      expect(await verdict.getAttribute('data-ok')).toBe('true');
      expect(await verdict.innerText()).toContain('intact');

      await page.getByTestId('nav-auditLog').click();
      const first = page.getByTestId('audit-event').first();
      await first.waitFor({ timeout: 5_000 });
      expect((await first.innerText()).trim()).toMatch(/^1\b/);
    });
  }, 60_000);

  it('shows an auditor an order as it was at an earlier version, replayed from the log', async () => {
    const productId = await createProduct('E2E-VASE', 'Glass vase', 3300, 2);
    const shopper = await login('shopper@shop.local');
    const placed = await fetch(`${stack.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper}`, 'idempotency-key': `e2e-vase-${Date.now()}` },
      body: JSON.stringify({ lines: [{ productId, quantity: 1 }], shippingAddress: { line1: '5 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' } }),
    });
    expect(placed.status).toBe(201);
    const { orderId } = (await placed.json()) as { orderId: string };
    const paid = await fetch(`${stack.url}/api/orders/${orderId}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper}` },
      body: JSON.stringify({ method: 'paypal' }),
    });
    expect(paid.status).toBe(200);

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await logInAs(page, stack.url, 'auditor@shop.local', 'auditor');
      // Straight from a link, as the log's "(as of…)" links open it: the order id is filled in.
      await page.goto(`${stack.url}/#/audit/orders/${orderId}`);
      expect(await page.getByTestId('as-of-order').inputValue()).toBe(orderId);
      await page.getByTestId('as-of-kind-version').check();
      await page.getByTestId('as-of-version').fill('1');
      await page.getByTestId('as-of-submit').click();
      const result = page.getByTestId('as-of-result');
      await result.waitFor({ timeout: 5_000 });
      expect(await result.getByTestId('order-status').innerText()).toBe('placed');
      expect(await result.innerText()).toContain('Version 1');

      await page.getByTestId('as-of-kind-now').check();
      await page.getByTestId('as-of-submit').click();
      await result.getByTestId('order-status').filter({ hasText: 'paid' }).waitFor({ timeout: 5_000 });
    });
  }, 60_000);

  it('offers each role only its own pages, and says so on a page it may not use', async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await logInAs(page, stack.url, 'shopper@shop.local', 'shopper');
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect((await nav.innerText()).split(/\s+/).filter(Boolean)).toEqual(['Catalog', 'Cart', 'My', 'orders']);
      await page.goto(`${stack.url}/#/audit/verify`);
      const refusal = page.getByTestId('not-allowed');
      await refusal.waitFor();
      expect(await refusal.innerText()).toContain('for an auditor; you are signed in as shopper');
    });
  }, 60_000);
});
