import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { describeRequest, fuzzableOperations, requestArbitrary, requestStringFields, sendRaw, withValueAt } from '@shop/testing';
import { startCommandApp, type CommandAppHarness } from '../testing/command-app.js';

/** Fixed, so a failure here is a failure everywhere (fast-check prints the path to replay it). */
const SEED = 14_2026;
const RUNS_PER_OPERATION = 40;
const SLOWEST_ANSWER_MS = 2_000;

/**
 * Every command-service operation of docs/openapi.json, fuzzed with plausible and hostile requests against the real
 * service on a real Postgres: no answer is a 5xx, none takes 2 s, and a rejected request leaves the event store
 * exactly as it was (no partial write).
 */
describe('command-service under fuzzed requests (docs/openapi.json, real Postgres)', () => {
  let app: CommandAppHarness;
  let context: Parameters<typeof requestArbitrary>[1];
  let productId: string;
  let orderId: string;

  const storeHead = async (): Promise<string> =>
    (await app.pool.query<{ head: string }>("SELECT count(*) || '@' || COALESCE(max(global_position), 0) AS head FROM events")).rows[0]!.head;

  beforeAll(async () => {
    app = await startCommandApp();
    const admin = await app.tokenFor('admin@shop.local');
    const shopper = await app.newShopper();
    const created = await app.request('POST', '/api/products', {
      token: admin,
      body: { sku: 'FUZZ-1', name: 'Fuzzed mug', description: 'Target of the fuzzer', priceCents: 990, currency: 'EUR', initialStock: 1_000 },
    });
    ({ id: productId } = (await created.json()) as { id: string });
    const placed = await app.request('POST', '/api/orders', {
      token: shopper.token,
      headers: { 'idempotency-key': 'fuzz-setup-order-1' },
      body: { lines: [{ productId, quantity: 1 }], shippingAddress: { line1: '1 Fuzz Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' } },
    });
    ({ orderId } = (await placed.json()) as { orderId: string });
    context = {
      ids: [productId, orderId, shopper.customerId],
      tokens: {
        admin,
        shopper: shopper.token,
        auditor: await app.tokenFor('auditor@shop.local'),
        analyst: await app.tokenFor('analyst@shop.local'),
      },
    };
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const operations = fuzzableOperations('command-service');
  const stringFields = requestStringFields('command-service');
  const fieldName = (field: (typeof stringFields)[number]) => `${field.operation.label} ${field.at.join('.')}`;

  it('documents a maximum length for every string of every command body (or an enum or UUID format)', () => {
    expect(stringFields.length).toBeGreaterThan(15);
    expect(stringFields.filter((field) => !field.bounded).map(fieldName)).toEqual([]);
  });

  it.each(stringFields.filter((field) => field.maxLength !== undefined).map((field) => [fieldName(field), field] as const))(
    'refuses %s one character over its documented maximum, and writes nothing',
    async (_name, field) => {
      const { operation, at } = field;
      const max = field.maxLength!;
      const overlong = at.at(-1) === 'email' ? `${'a'.repeat(max - 11)}@example.com` : 'x'.repeat(max + 1);
      const role = operation.roles[0];
      const before = await storeHead();
      const answer = await app.request(operation.method, operation.path.replace('{id}', operation.path.startsWith('/api/orders') ? orderId : productId), {
        ...(role ? { token: context.tokens[role] } : {}),
        body: withValueAt(field.example, at, overlong),
        headers: { 'if-match': '*', 'idempotency-key': `length-${randomUUID()}` },
      });
      const problem = (await answer.json()) as { code?: string; errors?: Array<{ path: string }> };
      expect({ status: answer.status, code: problem.code, paths: problem.errors?.map((e) => e.path) }).toEqual({
        status: 400,
        code: 'validation_failed',
        paths: expect.arrayContaining([at.join('.')]),
      });
      expect(await storeHead()).toBe(before);
    },
  );

  it('answers a body nested 30,000 deep with 400 json_too_deep, not the 500 of an overflowing fingerprint', async () => {
    const before = await storeHead();
    const answer = await sendRaw(app.base, {
      method: 'POST',
      path: '/api/orders',
      headers: { authorization: `Bearer ${context.tokens.shopper!}`, 'content-type': 'application/json', 'idempotency-key': 'fuzz-deep-body-1' },
      body: `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
    });
    expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({ status: 400, body: expect.objectContaining({ code: 'json_too_deep' }) });
    expect(await storeHead()).toBe(before);
  });

  it('finds the command operations in docs/openapi.json', () => {
    expect(operations.map((o) => o.label)).toEqual(expect.arrayContaining(['POST /api/auth/register', 'POST /api/auth/login', 'POST /api/products', 'PATCH /api/products/{id}', 'POST /api/orders']));
  });

  it.each(operations.map((o) => [o.label, o] as const))('%s: no 5xx, no answer slower than 2 s, nothing written on a rejection', async (_label, operation) => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(operation, context), async (built) => {
        const before = await storeHead();
        let answer = await sendRaw(app.base, built);
        if (answer.elapsedMs >= SLOWEST_ANSWER_MS && (built.method === 'GET' || answer.status >= 400)) {
          // A stall of a loaded machine (scheduler, GC) is not the service being slow: a slow answer that wrote
          // nothing is asked for again, and only an answer slow twice fails. Slowness by design repeats.
          answer = await sendRaw(app.base, built);
        }
        if (process.env.FUZZ_DEBUG) process.stdout.write(`${operation.label} ${answer.status} ${answer.body.slice(0, 90)}\n`);
        const seen = `${answer.status} in ${Math.round(answer.elapsedMs)} ms for ${describeRequest(built)}: ${answer.body.slice(0, 300)}`;
        expect({ serverError: answer.status >= 500, seen }).toEqual({ serverError: false, seen });
        expect({ slow: answer.elapsedMs >= SLOWEST_ANSWER_MS, seen }).toEqual({ slow: false, seen });
        if (answer.status >= 400) {
          expect({ store: await storeHead(), seen }).toEqual({ store: before, seen });
          if (answer.body.length > 0) expect({ contentType: answer.contentType, seen }).toEqual({ contentType: expect.stringContaining('application/problem+json'), seen });
        }
      }),
      { numRuns: RUNS_PER_OPERATION, seed: SEED },
    );
  }, 60_000);
});
