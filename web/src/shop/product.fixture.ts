import type { Product } from '@shop/client';

/** A catalog product for the shop's tests: a blue mug, with whatever the test changes. */
export const aProduct = (overrides: Partial<Product> = {}): Product => ({
  id: '3f1c2b7e-9d44-4c1a-8a57-0c6f3e5b2a91',
  sku: 'MUG-1',
  name: 'Mug',
  description: 'Blue',
  priceCents: 1299,
  currency: 'EUR',
  stockAvailable: 5,
  version: 1,
  status: 'active',
  imageUrl: null,
  ...overrides,
});
