import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { ShopClient, shopRequests } from '@shop/client';
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

  it('the analyst: the catalog and sales', async () => {
    await journey('analyst', async (page, look) => {
      await logInAs(page, stack.url, 'analyst@shop.local', 'analyst');
      await look('catalog', page.getByRole('link', { name: /Journey teapot/ }), '/');
      await look('sales', page.getByTestId('sales-table').or(page.getByTestId('sales-empty')), '/analytics');
    });
  }, 180_000);

  it('the auditor: the log, a stream, an order as it was, verification, orders and an order', async () => {
    await journey('auditor', async (page, look) => {
      await logInAs(page, stack.url, 'auditor@shop.local', 'auditor');
      await look('audit-log', page.getByTestId('audit-event'), '/audit');
      await look('stream', page.getByTestId('audit-event'), `/audit/streams/${encodeURIComponent(`order-${paidOrderId}`)}`);
      await open(page, `/audit/orders/${paidOrderId}`);
      await page.getByTestId('as-of-kind-version').check();
      await page.getByTestId('as-of-version').fill('1');
      await page.getByTestId('as-of-submit').click();
      await look('order-as-of', page.getByTestId('as-of-result'));
      await open(page, '/audit/verify');
      await page.getByTestId('verify').click();
      await look('verify', page.getByTestId('verify-result'));
      await look('orders', page.locator(`[data-testid="order-row"][data-order-id="${paidOrderId}"]`), '/orders');
      await look('order', page.getByTestId('order-detail'), `/orders/${paidOrderId}`);
    });
  }, 180_000);
});
