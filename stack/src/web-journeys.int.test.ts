import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
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

  it('the shopper: registration, login, catalog, product, cart and checkout, the new order and their orders', async () => {
    const violations: string[] = [];
    await withBrowser(async (browser) => {
      const page = await (await browser.newContext()).newPage();
      await open(page, '/register');
      violations.push(...(await lookAt(page, 'shopper', 'register', page.getByTestId('register-submit'))));
      await open(page, '/login');
      violations.push(...(await lookAt(page, 'shopper', 'login', page.getByTestId('login-submit'))));
      await logInAs(page, stack.url, 'shopper@shop.local', 'shopper');

      await open(page, '/');
      violations.push(...(await lookAt(page, 'shopper', 'catalog', page.getByRole('link', { name: /Journey teapot/ }))));
      await open(page, `/products/${productId}`);
      violations.push(...(await lookAt(page, 'shopper', 'product', page.getByTestId('product-detail').filter({ hasText: 'Journey teapot' }))));
      await page.getByTestId('add-to-cart').click();
      await page.getByTestId('in-cart').waitFor();

      await open(page, '/cart');
      violations.push(...(await lookAt(page, 'shopper', 'cart', page.getByTestId('place-order'))));
      await page.getByTestId('address-line1').fill('12 St James Square');
      await page.getByTestId('address-postalCode').fill('SW1Y 4JH');
      await page.getByTestId('address-city').fill('London');
      await page.getByTestId('address-country').fill('GB');
      await page.getByTestId('place-order').click();
      violations.push(...(await lookAt(page, 'shopper', 'order', page.getByTestId('order-detail'))));
      expect(await page.getByTestId('order-status').innerText()).toBe('placed');

      await open(page, '/orders');
      violations.push(...(await lookAt(page, 'shopper', 'orders', page.locator(`[data-testid="order-row"][data-order-id="${paidOrderId}"]`))));
    });
    expect(violations).toEqual([]);
  }, 180_000);

  it('the admin: the catalog with the new-product form, a product with its editor, all orders, an order, sales', async () => {
    const violations: string[] = [];
    await withBrowser(async (browser) => {
      const page = await (await browser.newContext()).newPage();
      await logInAs(page, stack.url, 'admin@shop.local', 'admin');
      await open(page, '/');
      violations.push(...(await lookAt(page, 'admin', 'products', page.getByTestId('product-submit'))));
      await open(page, `/products/${productId}`);
      violations.push(...(await lookAt(page, 'admin', 'product', page.getByTestId('edit-product'))));
      await open(page, '/orders');
      violations.push(...(await lookAt(page, 'admin', 'orders', page.locator(`[data-testid="order-row"][data-order-id="${paidOrderId}"]`))));
      await open(page, `/orders/${paidOrderId}`);
      violations.push(...(await lookAt(page, 'admin', 'order', page.getByTestId('order-detail'))));
      await open(page, '/analytics');
      violations.push(...(await lookAt(page, 'admin', 'sales', page.getByTestId('sales-table').or(page.getByTestId('sales-empty')))));
    });
    expect(violations).toEqual([]);
  }, 180_000);

  it('the analyst: the catalog and sales', async () => {
    const violations: string[] = [];
    await withBrowser(async (browser) => {
      const page = await (await browser.newContext()).newPage();
      await logInAs(page, stack.url, 'analyst@shop.local', 'analyst');
      await open(page, '/');
      violations.push(...(await lookAt(page, 'analyst', 'catalog', page.getByRole('link', { name: /Journey teapot/ }))));
      await open(page, '/analytics');
      violations.push(...(await lookAt(page, 'analyst', 'sales', page.getByTestId('sales-table').or(page.getByTestId('sales-empty')))));
    });
    expect(violations).toEqual([]);
  }, 180_000);

  it('the auditor: the log, a stream, an order as it was, verification, orders and an order', async () => {
    const violations: string[] = [];
    await withBrowser(async (browser) => {
      const page = await (await browser.newContext()).newPage();
      await logInAs(page, stack.url, 'auditor@shop.local', 'auditor');
      await open(page, '/audit');
      violations.push(...(await lookAt(page, 'auditor', 'audit-log', page.getByTestId('audit-event'))));
      await open(page, `/audit/streams/${encodeURIComponent(`order-${paidOrderId}`)}`);
      violations.push(...(await lookAt(page, 'auditor', 'stream', page.getByTestId('audit-event'))));
      await open(page, `/audit/orders/${paidOrderId}`);
      await page.getByTestId('as-of-kind-version').check();
      await page.getByTestId('as-of-version').fill('1');
      await page.getByTestId('as-of-submit').click();
      violations.push(...(await lookAt(page, 'auditor', 'order-as-of', page.getByTestId('as-of-result'))));
      await open(page, '/audit/verify');
      await page.getByTestId('verify').click();
      violations.push(...(await lookAt(page, 'auditor', 'verify', page.getByTestId('verify-result'))));
      await open(page, '/orders');
      violations.push(...(await lookAt(page, 'auditor', 'orders', page.locator(`[data-testid="order-row"][data-order-id="${paidOrderId}"]`))));
      await open(page, `/orders/${paidOrderId}`);
      violations.push(...(await lookAt(page, 'auditor', 'order', page.getByTestId('order-detail'))));
    });
    expect(violations).toEqual([]);
  }, 180_000);
});
