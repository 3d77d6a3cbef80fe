import { describe, expect, it } from '@jest/globals';
import { canOpen, describeAudience, navigationFor } from './access';

const labels = (viewer: Parameters<typeof navigationFor>[0]) => navigationFor(viewer).map((item) => item.label);

describe('navigation', () => {
  it('offers each role only the pages it may use', () => {
    expect(labels('guest')).toEqual(['Catalog', 'Cart']);
    expect(labels('shopper')).toEqual(['Catalog', 'Cart', 'My orders']);
    expect(labels('admin')).toEqual(['Catalog', 'Orders', 'Products', 'Dead letters', 'Sales']);
    expect(labels('auditor')).toEqual(['Catalog', 'Orders', 'Audit log', 'Order history', 'Verify the log']);
    expect(labels('analyst')).toEqual(['Catalog', 'Sales']);
  });

  it('keeps pages from roles the API would answer 403 (x-roles in docs/openapi.json)', () => {
    expect(canOpen('cart', 'admin')).toBe(false);
    expect(canOpen('orders', 'analyst')).toBe(false);
    expect(canOpen('verify', 'admin')).toBe(false);
    expect(canOpen('sales', 'auditor')).toBe(false);
    expect(canOpen('order', 'guest')).toBe(false);
    expect(canOpen('product', 'guest')).toBe(true);
    expect(canOpen('deadLetters', 'auditor')).toBe(false);
    expect(canOpen('adminOrders', 'shopper')).toBe(false);
  });

  it('gives the admin their own orders page in the menu, the plain list still opening (an order links back to it)', () => {
    expect(navigationFor('admin').find((item) => item.label === 'Orders')?.page).toBe('adminOrders');
    expect(canOpen('orders', 'admin')).toBe(true);
    expect(canOpen('adminProducts', 'admin') && canOpen('deadLetters', 'admin')).toBe(true);
  });

  it('says in words who a page is for', () => {
    expect(describeAudience('verify')).toBe('an auditor');
    expect(describeAudience('sales')).toBe('an analyst or an admin');
    expect(describeAudience('orders')).toBe('a shopper, an admin or an auditor');
  });
});
