import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { exchange, ShopClient, shopRequests } from '@shop/client';
import type { RunningStack } from './stack.js';
import { E2E_PASSWORD, logInAs, lookAt, withBrowser } from './testing/browser.js';
import { startTestStack } from './testing/test-stack.js';

/**
 * One journey per role through the web app, in Debian's Chromium, through the gateway (nginx when installed), on one
 * stack for all four. Every page a role uses is checked with axe-core (no serious or critical violation) and saved at
 * desktop and phone width to web/e2e/screenshots/<role>-<page>-<width>.png, committed so reviewers see every page.
 */
describe('one journey per role through the web app, in a real browser', () => {
  let stack: RunningStack;
  let productId: string;
  let paidOrderId: string;

  beforeAll(async () => {
    stack = await startTestStack({ DEV_USERS_PASSWORD: E2E_PASSWORD });
    // What the pages show: a product in stock, and a paid order of the seeded shopper's (for the admin's, the
    // analyst's and the auditor's pages). Each client sends its own writes' Consistency-Token, so the reads below
    // return once the read models hold them: the browser then finds them without waiting.
    const admin = new ShopClient({ baseUrl: stack.url });
    await admin.login('admin@shop.local', E2E_PASSWORD);
    const { body: product } = await admin.call(
      shopRequests.createProduct({ sku: 'JOURNEY-TEAPOT', name: 'Journey teapot', description: 'Cast iron, 0.8 litres', priceCents: 3490, currency: 'EUR', initialStock: 40 }),
    );
    productId = product.id;
    await admin.getProduct(productId);
    const shopper = new ShopClient({ baseUrl: stack.url });
    await shopper.login('shopper@shop.local', E2E_PASSWORD);
    const placed = await shopper.placeOrder([{ productId, quantity: 2 }], { name: 'Ada Shopper', line1: '1 Journey Lane', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' });
    paidOrderId = placed.body.orderId;
    await shopper.call(shopRequests.payOrder(paidOrderId, 'card'));
    await shopper.getOrder(paidOrderId);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  /** Opens a page of the app by its hash path. */
  const open = (page: Page, path: string) => page.goto(`${stack.url}/#${path}`);

  /**
   * A role's journey in a browser context of its own: `steps` walks it, calling `look` on each page (axe-core and the
   * screenshots, lookAt), after opening `path` when given; the journey fails at its end on every serious or critical
   * violation found on the way.
   */
  async function journey(role: string, steps: (page: Page, look: (name: string, ready: Locator, path?: string) => Promise<void>) => Promise<void>): Promise<void> {
    const violations: string[] = [];
    await withBrowser(async (browser) => {
      const page = await (await browser.newContext()).newPage();
      await steps(page, async (name, ready, path) => {
        if (path !== undefined) await open(page, path);
        violations.push(...(await lookAt(page, role, name, ready)));
      });
    });
    expect(violations).toEqual([]);
  }

  it('the shopper: registration, login, catalog, product, cart and checkout, the new order and their orders', async () => {
    await journey('shopper', async (page, look) => {
      await look('register', page.getByTestId('register-submit'), '/register');
      await look('login', page.getByTestId('login-submit'), '/login');
      await logInAs(page, stack.url, 'shopper@shop.local', 'shopper');

      await look('catalog', page.getByRole('link', { name: /Journey teapot/ }), '/');
      await look('product', page.getByTestId('product-detail').filter({ hasText: 'Journey teapot' }), `/products/${productId}`);
      await page.getByTestId('add-to-cart').click();
      await page.getByTestId('in-cart').waitFor();

      await look('cart', page.getByTestId('place-order'), '/cart');
      await page.getByTestId('address-line1').fill('12 St James Square');
      await page.getByTestId('address-postalCode').fill('SW1Y 4JH');
      await page.getByTestId('address-city').fill('London');
      await page.getByTestId('address-country').fill('GB');
      await page.getByTestId('place-order').click();
      await look('order', page.getByTestId('order-detail'));
      expect(await page.getByTestId('order-status').innerText()).toBe('placed');

      await look('orders', page.locator(`[data-testid="order-row"][data-order-id="${paidOrderId}"]`), '/orders');
    });
  }, 180_000);

  it('the admin: the catalog with the new-product form, a product with its editor, all orders, an order, sales, their orders, products and dead letters', async () => {
    // An order of the admin's own to ship: the paid order the other journeys look at stays paid.
    const shopper = new ShopClient({ baseUrl: stack.url });
    await shopper.login('shopper@shop.local', E2E_PASSWORD);
    const toShip = (await shopper.placeOrder([{ productId, quantity: 1 }], { line1: '2 Journey Lane', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' })).body.orderId;
    await shopper.call(shopRequests.payOrder(toShip, 'card'));
    await shopper.getOrder(toShip);

    await journey('admin', async (page, look) => {
      await logInAs(page, stack.url, 'admin@shop.local', 'admin');
      await look('products', page.getByTestId('product-submit'), '/');
      await look('product', page.getByTestId('edit-product'), `/products/${productId}`);
      await look('orders', page.locator(`[data-testid="order-row"][data-order-id="${paidOrderId}"]`), '/orders');
      await look('order', page.getByTestId('order-detail'), `/orders/${paidOrderId}`);
      await look('sales', page.getByTestId('sales-table').or(page.getByTestId('sales-empty')), '/analytics');

      // Their orders page, reached from the menu: filtered on paid (the filter in the hash survives a reload), a shipment.
      await page.getByTestId('nav-adminOrders').click();
      await page.getByTestId('filter-status').selectOption('paid');
      await page.getByTestId('filter-apply').click();
      await page.reload();
      const row = page.locator(`[data-testid="order-row"][data-order-id="${toShip}"]`);
      await look('orders-filtered', row);
      expect(await page.getByTestId('filter-status').inputValue()).toBe('paid');
      await row.getByTestId('ship').click();
      // The list is read again with the shipment's Consistency-Token: a shipped order is no longer a paid one.
      await row.waitFor({ state: 'detached' });
      await page.getByTestId('filter-status').selectOption('shipped');
      await page.getByTestId('filter-apply').click();
      expect(await row.getByTestId('order-status').innerText()).toBe('shipped');

      // Products with their stock: a write-off beyond the stock is refused beside its row, a receipt shows at once.
      await page.getByTestId('nav-adminProducts').click();
      const product = page.locator(`[data-testid="admin-product-row"][data-product-id="${productId}"]`);
      await look('products-stock', product);
      const before = Number(await product.getByTestId('admin-product-stock').innerText());
      await product.getByTestId('row-stock-delta').fill('-1000000');
      await product.getByTestId('row-stock-reason').fill('journey write-off');
      await product.getByTestId('row-stock-submit').click();
      await product.locator('[data-testid="row-stock-status"].status-error').waitFor();
      await product.getByTestId('row-stock-delta').fill('5');
      await product.getByTestId('row-stock-submit').click();
      await product.getByTestId('row-stock-status').filter({ hasText: `Done: ${before + 5} available.` }).waitFor();
      await product.getByTestId('admin-product-stock').filter({ hasText: String(before + 5) }).waitFor();

      // Dead letters of a projection, and a redrive watched until the list is empty (nothing is parked here).
      await look('dead-letters', page.getByTestId('dead-letters-empty').or(page.getByTestId('dead-letters')), '/admin/dead-letters?projection=orders');
      await page.getByTestId('redrive').click();
      await page.getByTestId('redrive-status').filter({ hasText: 'Redriven: orders has no dead letters left.' }).waitFor();
    });
  }, 180_000);

  it('the analyst: the catalog, sales with its two charts and tables, a table downloaded as CSV', async () => {
    // The charts need the paid order in the analytics read model: ask once with its position as Consistency-Token,
    // which answers when the read model holds it (the browser's own session has no write to wait on).
    const auditor = new ShopClient({ baseUrl: stack.url });
    await auditor.login('auditor@shop.local', E2E_PASSWORD);
    const { body: history } = await auditor.call(shopRequests.auditStream(`order-${paidOrderId}`));
    const analyst = await new ShopClient({ baseUrl: stack.url }).login('analyst@shop.local', E2E_PASSWORD);
    const now = new Date();
    const range = { from: new Date(now.getTime() - 86_400_000).toISOString(), to: new Date(now.getTime() + 86_400_000).toISOString() };
    const connection = { baseUrl: stack.url, fetch: globalThis.fetch.bind(globalThis), token: analyst.token, consistencyToken: history.items.at(-1)?.globalPosition };
    await exchange(connection, shopRequests.topProducts({ ...range, limit: 10 }));

    await journey('analyst', async (page, look) => {
      await logInAs(page, stack.url, 'analyst@shop.local', 'analyst');
      await look('catalog', page.getByRole('link', { name: /Journey teapot/ }), '/');
      await look('sales', page.getByTestId('revenue-chart'), '/analytics');
      await page.getByTestId('top-products-chart').waitFor();
      expect(await page.getByTestId('top-product-row').filter({ hasText: 'Journey teapot' }).count()).toBe(1);
      expect(await page.getByTestId('revenue-chart').getAttribute('aria-label')).toMatch(/^Revenue by day in EUR, 30 bars/);

      const download = page.waitForEvent('download');
      await page.getByTestId('top-products-csv').click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^top-products_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile(await file.path(), 'utf8');
      const [header, first] = csv.split('\r\n');
      expect(header).toBe('\uFEFFRank,Product,SKU,Currency,Orders,Units,Revenue');
      // Its figures depend on what other journeys bought; the row and its shape do not.
      expect(first).toMatch(/^1,Journey teapot,JOURNEY-TEAPOT,EUR,\d+,\d+,\d+\.\d{2}$/);
    });
  }, 180_000);

  it('the auditor: the log, a stream, the timeline of an order with its state and changes, verification with an anchor, orders', async () => {
    await journey('auditor', async (page, look) => {
      await logInAs(page, stack.url, 'auditor@shop.local', 'auditor');
      await look('audit-log', page.getByTestId('audit-event'), '/audit');
      await look('stream', page.getByTestId('audit-event'), `/audit/streams/${encodeURIComponent(`order-${paidOrderId}`)}`);

      await look('order-timeline', page.getByTestId('timeline-event'), `/audit/orders/${paidOrderId}`);
      const types = await page.getByTestId('timeline-event').locator('td:nth-child(2)').allInnerTexts();
      expect(types[0]).toBe('OrderPlaced');
      expect(types.at(-1)).toBe('OrderPaid');
      await page.getByTestId('state-at-1').click();
      await look('order-as-of', page.getByTestId('as-of-result').filter({ hasText: 'Version 1,' }));
      expect(await page.getByTestId('as-of-result').getByTestId('order-status').innerText()).toBe('placed');
      await page.getByTestId('diff-submit').click();
      await look('order-diff', page.getByTestId('diff-table'));
      expect(await page.locator('[data-testid="diff-change"][data-field="status"] .diff-new').innerText()).toBe('paid');

      await open(page, '/audit/verify');
      await page.getByTestId('verify').click();
      const anchor = await page.getByTestId('verify-new-anchor').innerText();
      const [position = '', digest = ''] = anchor.split(':');
      // A signed anchor file fills the anchor in (the page reads position and digest; the CLI checks signatures).
      const signed = { type: 'shop-audit-anchor', version: 1, position, digest, time: new Date().toISOString(), algorithm: 'Ed25519', keyId: 'k', signature: 's' };
      await page.getByTestId('verify-anchor-file').setInputFiles({ name: 'audit-anchor.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(signed)) });
      // The file is read asynchronously: its note shows once the anchor field holds what it read.
      await page.getByTestId('anchor-file-note').filter({ hasText: 'audit-anchor.json' }).waitFor();
      expect(await page.getByTestId('verify-anchor').inputValue()).toBe(anchor);
      await page.getByTestId('verify').click();
      await look('verify', page.locator('[data-testid="anchor-check"][data-matches="true"]'));
      await page.getByTestId('verify-anchor').fill(`${position}:${'0'.repeat(64)}`);
      await page.getByTestId('verify').click();
      await look('verify-anchor-differs', page.locator('[data-testid="verify-result"][data-ok="false"]'));

      await look('orders', page.locator(`[data-testid="order-row"][data-order-id="${paidOrderId}"]`), '/orders');
      await look('order', page.getByTestId('order-detail'), `/orders/${paidOrderId}`);
    });
  }, 180_000);
});
