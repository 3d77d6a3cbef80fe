import { describe, expect, it } from '@jest/globals';
import { href, parseRoute } from './route';

const id = 'a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f';

describe('parseRoute', () => {
  it.each([
    ['', { page: 'catalog' }],
    ['#/', { page: 'catalog' }],
    ['#/register', { page: 'register' }],
    ['#/cart', { page: 'cart' }],
    ['#/orders', { page: 'orders' }],
    [`#/orders/${id}`, { page: 'order', id }],
    [`#/products/${id}`, { page: 'product', id }],
    ['#/audit', { page: 'auditLog' }],
    [`#/audit/streams/order-${id}`, { page: 'auditStream', stream: `order-${id}` }],
    ['#/audit/orders', { page: 'auditOrder', id: null }],
    [`#/audit/orders/${id}`, { page: 'auditOrder', id }],
    ['#/audit/verify', { page: 'verify' }],
    ['#/analytics', { page: 'sales' }],
    ['#/admin/orders?status=paid&from=2026-12-01', { page: 'adminOrders' }],
    ['#/admin/products', { page: 'adminProducts' }],
    ['#/admin/dead-letters?projection=orders', { page: 'deadLetters' }],
    ['#/login', { page: 'login', next: null }],
    ['#/nowhere', { page: 'notFound' }],
    ['#/products/%E0%A4%A', { page: 'notFound' }],
  ])('reads %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('reads back every href it builds', () => {
    expect(parseRoute(href.order(id))).toEqual({ page: 'order', id });
    expect(parseRoute(href.auditStream('sku-mug-1'))).toEqual({ page: 'auditStream', stream: 'sku-mug-1' });
    expect(parseRoute(href.login('/cart'))).toEqual({ page: 'login', next: '/cart' });
  });

  it('follows `next` only to paths inside the app', () => {
    expect(parseRoute('#/login?next=%2F%2Fevil.example')).toEqual({ page: 'login', next: null });
    expect(parseRoute('#/login?next=https%3A%2F%2Fevil.example')).toEqual({ page: 'login', next: null });
  });
});
