import { z } from 'zod';
import type { PlaceOrderRequest } from '@shop/client';
import { httpStatusOf, problemOf, type ApiError } from '../problem';

/**
 * One checkout attempt: the Idempotency-Key sent with `POST /api/orders` and the body it was sent with.
 * The server stores the answer to a key (every answer below 500), so:
 * - a retry of the same body after a lost answer must reuse the key: the server then answers the stored result
 *   instead of placing a second order;
 * - a changed body needs a new key (the same key with another body is 422 `idempotency_key_reused`);
 * - after a definite answer the next try needs a new key, or it would only replay that answer.
 */
export const CheckoutAttempt = z.object({ idempotencyKey: z.string().min(8), body: z.string() });
export type CheckoutAttempt = z.infer<typeof CheckoutAttempt>;

/** The attempt to send `order` with: the pending one when it was for exactly this body, else a new one. */
export function attemptFor(pending: CheckoutAttempt | null, order: PlaceOrderRequest, newKey: () => string): CheckoutAttempt {
  const body = JSON.stringify(order);
  return pending?.body === body ? pending : { idempotencyKey: newKey(), body };
}

/**
 * Whether an attempt that failed may have placed the order, or may still: then it stays pending and a retry
 * sends the same key. No answer (network, timeout), a 5xx (the server released the key: a retry runs it again
 * exactly once) and 409 `idempotency_request_in_progress` all qualify; any other answer is definite.
 */
export function mayRetryWithSameKey(error: ApiError): boolean {
  const status = httpStatusOf(error);
  if (status === null) return 'status' in error && (error.status === 'FETCH_ERROR' || error.status === 'TIMEOUT_ERROR');
  if (status >= 500) return true;
  return status === 409 && problemOf(error)?.code === 'idempotency_request_in_progress';
}

/** A random UUID (v4) from the Web Crypto API; `crypto.randomUUID` exists only on https/localhost pages. */
export function newIdempotencyKey(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  const bytes = random(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
