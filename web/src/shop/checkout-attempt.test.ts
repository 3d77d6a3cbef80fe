import { describe, expect, it } from '@jest/globals';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { PlaceOrderRequest } from '@shop/client';
import { attemptFor, mayRetryWithSameKey, newIdempotencyKey } from './checkout-attempt';

const order: PlaceOrderRequest = {
  lines: [{ productId: '3f1c2b7e-9d44-4c1a-8a57-0c6f3e5b2a91', quantity: 2 }],
  shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
};
const keys = (...values: string[]) => () => values.shift() ?? 'no-more-keys';
const answered = (status: number, code?: string): FetchBaseQueryError => ({ status, data: { type: `https://shop.local/problems/${code}`, title: 't', status, code } });

describe('attemptFor', () => {
  it('starts a new attempt with a new key when none is pending', () => {
    expect(attemptFor(null, order, keys('key-00000001'))).toEqual({ idempotencyKey: 'key-00000001', body: JSON.stringify(order) });
  });

  it('reuses the pending attempt, key and all, for exactly the same order', () => {
    const pending = attemptFor(null, order, keys('key-00000001'));
    expect(attemptFor(pending, structuredClone(order), keys('key-00000002'))).toBe(pending);
  });

  it('takes a new key when the cart or the address changed since the pending attempt', () => {
    const pending = attemptFor(null, order, keys('key-00000001'));
    const moreMugs = { ...order, lines: [{ ...order.lines[0]!, quantity: 3 }] };
    const elsewhere = { ...order, shippingAddress: { ...order.shippingAddress, city: 'Leeds' } };
    expect(attemptFor(pending, moreMugs, keys('key-00000002')).idempotencyKey).toBe('key-00000002');
    expect(attemptFor(pending, elsewhere, keys('key-00000003')).idempotencyKey).toBe('key-00000003');
  });
});

describe('mayRetryWithSameKey', () => {
  it('keeps the key when no answer came (the order may have been placed)', () => {
    expect(mayRetryWithSameKey({ status: 'FETCH_ERROR', error: 'TypeError: Failed to fetch' })).toBe(true);
    expect(mayRetryWithSameKey({ status: 'TIMEOUT_ERROR', error: 'AbortError' })).toBe(true);
  });

  it('keeps the key after a 5xx, including a gateway page that is not JSON', () => {
    expect(mayRetryWithSameKey(answered(500, 'internal_error'))).toBe(true);
    expect(mayRetryWithSameKey(answered(503, 'unavailable'))).toBe(true);
    expect(mayRetryWithSameKey({ status: 'PARSING_ERROR', originalStatus: 502, data: '<html>Bad Gateway</html>', error: 'SyntaxError' })).toBe(true);
  });

  it('keeps the key while the first request with it is still running', () => {
    expect(mayRetryWithSameKey(answered(409, 'idempotency_request_in_progress'))).toBe(true);
  });

  it('drops the key after a definite answer, which the server stored and would only replay', () => {
    expect(mayRetryWithSameKey(answered(409, 'out_of_stock'))).toBe(false);
    expect(mayRetryWithSameKey(answered(400, 'validation_failed'))).toBe(false);
    expect(mayRetryWithSameKey(answered(422, 'idempotency_key_reused'))).toBe(false);
    expect(mayRetryWithSameKey(answered(401, 'unauthenticated'))).toBe(false);
  });

  it('drops the key after an error raised in the browser itself', () => {
    expect(mayRetryWithSameKey({ status: 'CUSTOM_ERROR', error: 'The server sent an answer this app does not understand.' })).toBe(false);
    expect(mayRetryWithSameKey({ message: 'boom' })).toBe(false);
  });
});

describe('newIdempotencyKey', () => {
  it('is a version 4 UUID, which the API accepts as an Idempotency-Key', () => {
    const key = newIdempotencyKey();
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(key).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });

  it('sets the version and variant bits whatever the random bytes are', () => {
    expect(newIdempotencyKey((bytes) => bytes.fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(newIdempotencyKey((bytes) => bytes.fill(0))).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('differs from one attempt to the next', () => {
    expect(new Set(Array.from({ length: 1000 }, () => newIdempotencyKey())).size).toBe(1000);
  });
});
