import { describe, expect, it } from '@jest/globals';
import { decideIdempotency, requestFingerprint, type StoredKey } from './idempotency-decision.js';

const fingerprint = requestFingerprint('POST', '/api/orders', { lines: [{ productId: 'p', quantity: 1 }] });

const done = (overrides: Partial<StoredKey> = {}): StoredKey => ({
  request_hash: fingerprint,
  state: 'done',
  response_status: 201,
  response_headers: { etag: '"1"', 'consistency-token': '42' },
  response_body: '{"orderId":"o"}',
  append_stream_id: null,
  ...overrides,
});

const inProgress = (overrides: Partial<StoredKey> = {}): StoredKey =>
  done({ state: 'in_progress', response_status: null, response_headers: null, response_body: null, ...overrides });

describe('decideIdempotency', () => {
  it('runs a request whose key holds nothing', () => {
    expect(decideIdempotency(undefined, fingerprint, { canRecover: true, canWait: false })).toEqual({ kind: 'run' });
  });

  it('replays the stored answer to the same request, status, headers and body as stored', () => {
    expect(decideIdempotency(done(), fingerprint, { canRecover: false, canWait: false })).toEqual({
      kind: 'replay',
      answer: { status: 201, headers: { etag: '"1"', 'consistency-token': '42' }, body: '{"orderId":"o"}' },
    });
  });

  it('refuses a key used by another request (another body) as reused, whatever its state', () => {
    const other = requestFingerprint('POST', '/api/orders', { lines: [{ productId: 'p', quantity: 2 }] });
    expect(decideIdempotency(done(), other, { canRecover: true, canWait: false })).toEqual({ kind: 'refuse', reason: 'key_reused' });
    expect(decideIdempotency(inProgress({ append_stream_id: 'order-o' }), other, { canRecover: true, canWait: false })).toEqual({ kind: 'refuse', reason: 'key_reused' });
  });

  it('waits for the same request while its first attempt is still in progress and there is time left', () => {
    expect(decideIdempotency(inProgress(), fingerprint, { canRecover: true, canWait: true })).toEqual({ kind: 'wait' });
  });

  it('refuses the same request as in progress once it may wait no longer', () => {
    expect(decideIdempotency(inProgress(), fingerprint, { canRecover: true, canWait: false })).toEqual({ kind: 'refuse', reason: 'in_progress' });
  });

  it('recovers rather than waits when the first attempt\'s append committed and the route can rebuild its answer', () => {
    expect(decideIdempotency(inProgress({ append_stream_id: 'order-o' }), fingerprint, { canRecover: true, canWait: true })).toEqual({ kind: 'recover', appendStreamId: 'order-o' });
  });

  it('waits for an in-progress request whose answer the route cannot rebuild', () => {
    expect(decideIdempotency(inProgress({ append_stream_id: 'order-o' }), fingerprint, { canRecover: false, canWait: true })).toEqual({ kind: 'wait' });
  });

  it('never waits for a request with another body, nor for one already answered', () => {
    const other = requestFingerprint('POST', '/api/orders', { lines: [{ productId: 'p', quantity: 2 }] });
    expect(decideIdempotency(inProgress(), other, { canRecover: false, canWait: true })).toEqual({ kind: 'refuse', reason: 'key_reused' });
    expect(decideIdempotency(done(), fingerprint, { canRecover: false, canWait: true }).kind).toBe('replay');
  });

  it('recovers the answer of a request in progress whose append committed, when the route can rebuild it', () => {
    expect(decideIdempotency(inProgress({ append_stream_id: 'order-o' }), fingerprint, { canRecover: true, canWait: false })).toEqual({ kind: 'recover', appendStreamId: 'order-o' });
  });

  it('refuses that request as in progress when the route cannot rebuild its answer', () => {
    expect(decideIdempotency(inProgress({ append_stream_id: 'order-o' }), fingerprint, { canRecover: false, canWait: false })).toEqual({ kind: 'refuse', reason: 'in_progress' });
  });

  it('replays an answer stored without headers or body as exactly that', () => {
    const bare = done({ response_status: null, response_headers: null, response_body: null });
    expect(decideIdempotency(bare, fingerprint, { canRecover: false, canWait: false })).toEqual({ kind: 'replay', answer: { status: 200, headers: {}, body: '' } });
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same method, path and parsed body, and differs when any of them does', () => {
    expect(requestFingerprint('POST', '/api/orders', { a: 1 })).toBe(requestFingerprint('POST', '/api/orders', { a: 1 }));
    expect(requestFingerprint('POST', '/api/orders', { a: 1 })).not.toBe(requestFingerprint('POST', '/api/orders', { a: 2 }));
    expect(requestFingerprint('POST', '/api/orders', { a: 1 })).not.toBe(requestFingerprint('POST', '/api/products', { a: 1 }));
    expect(requestFingerprint('POST', '/api/orders', undefined)).toBe(requestFingerprint('POST', '/api/orders', null));
  });
});
