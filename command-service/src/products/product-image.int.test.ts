import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCommandApp, type CommandAppHarness } from '../testing/command-app.js';

/** A product's image through the command API: POST and PATCH, against the real service on a real Postgres. */
describe('product images (POST and PATCH /api/products, real Postgres)', () => {
  let app: CommandAppHarness;
  let admin: string;
  let skus = 0;

  const create = (fields: Record<string, unknown> = {}) =>
    app.request('POST', '/api/products', {
      token: admin,
      body: { sku: `IMG-${++skus}`, name: 'Mug', description: 'Blue', priceCents: 1299, currency: 'EUR', initialStock: 1, ...fields },
    });
  const patch = (id: string, etag: string, body: unknown) => app.request('PATCH', `/api/products/${id}`, { token: admin, body, headers: { 'if-match': etag } });
  const eventsOf = async (id: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> =>
    (await app.pool.query<{ type: string; data: Record<string, unknown> }>('SELECT event_type AS type, data FROM events WHERE stream_id = $1 ORDER BY stream_version', [`product-${id}`])).rows;

  beforeAll(async () => {
    app = await startCommandApp();
    admin = await app.tokenFor('admin@shop.local');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('creates a product with an image: ProductCreated carries its imageUrl', async () => {
    const response = await create({ imageUrl: 'https://cdn.example.com/mugs/blue.webp' });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect((await eventsOf(id))[0]).toMatchObject({ type: 'ProductCreated', data: { imageUrl: 'https://cdn.example.com/mugs/blue.webp' } });
  });

  it('creates a product without an image: ProductCreated has no imageUrl at all', async () => {
    const { id } = (await (await create()).json()) as { id: string };
    expect(Object.keys((await eventsOf(id))[0]!.data)).not.toContain('imageUrl');
  });

  it('sets, replaces and removes the image with PATCH, one ProductImageChanged each, and nothing when it is unchanged', async () => {
    const created = await create();
    const { id } = (await created.json()) as { id: string };
    let etag = created.headers.get('etag')!;
    for (const imageUrl of ['/images/mug.png', 'http://images.example.com/mug-2.png', null]) {
      const response = await patch(id, etag, { imageUrl });
      expect(response.status).toBe(200);
      etag = response.headers.get('etag')!;
    }
    const unchanged = await patch(id, etag, { imageUrl: null });
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect((await eventsOf(id)).slice(1)).toEqual([
      { type: 'ProductImageChanged', data: { productId: id, imageUrl: '/images/mug.png' } },
      { type: 'ProductImageChanged', data: { productId: id, imageUrl: 'http://images.example.com/mug-2.png' } },
      { type: 'ProductImageChanged', data: { productId: id, imageUrl: null } },
    ]);
  });

  // [imageUrl, what the problem says]; a 2,049-character path is one over the limit.
  it.each<[unknown, string]>([
    ['javascript:alert(1)', 'absolute http(s) URL'],
    ['images/mug.png', 'path starting with "/"'],
    ['//evil.example.com/mug.png', 'single "/"'],
    ['https://user:pw@cdn.example.com/mug.png', 'user name or password'],
    ['', 'must not be empty'],
    [`/${'a'.repeat(2_048)}`, 'at most 2048 characters'],
    [42, 'expected string'],
  ])('refuses imageUrl %j on create and on PATCH with 400 naming it, and writes nothing', async (imageUrl, message) => {
    const created = await create();
    const { id } = (await created.json()) as { id: string };
    const before = await app.eventCount();
    for (const response of [await create({ imageUrl }), await patch(id, created.headers.get('etag')!, { imageUrl })]) {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { code: string; errors: Array<{ path: string; message: string }> };
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors).toEqual([{ path: 'imageUrl', message: expect.stringContaining(message) }]);
    }
    expect(await app.eventCount()).toBe(before);
  });
});
