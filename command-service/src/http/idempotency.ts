import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { principalOf, ProblemError } from '@shop/service-kit';
import type { IdempotencyStore, StoredKey } from './idempotency-store.js';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** Headers a replay answers again (the rest are per-response or set by the server anyway). */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'consistency-token'];


/** What identifies "the same request": method, path and the parsed body (so whitespace does not matter). */
export const requestFingerprint = (method: string, path: string, body: unknown): string =>
  createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('hex');

/**
 * `Idempotency-Key` on creates. The first request with a key runs and its answer is stored (only answers below
 * 500: a failed attempt may be retried); the same key with the same body gets the stored answer, marked
 * `Idempotent-Replayed: true`; with another body 422; while the first is still running 409.
 * Keys are scoped per user (the token's subject), so one user can never replay another's answer.
 *
 * The store's pool should commit asynchronously (no WAL flush wait: two fsyncs per create would otherwise triple its cost).
 * That is safe for the claim: WAL is flushed in order, so when the create's events are durable, the claim written
 * before them is too; a retry can never run the create twice. The stored answer can be lost only by a database
 * crash within milliseconds of it (before any later commit flushes it); the key then stays "in progress" and a
 * retry answers 409 rather than creating anything twice.
 *
 * A definite answer (below 500) goes out as soon as the handler sends it and is stored meanwhile: the command is
 * committed by then, and waiting for the bookkeeping write would add a round trip to every create. A retry that
 * reaches this process while the answer is being written waits for it (`IdempotencyStore.read`); one that reaches
 * another instance in that millisecond answers 409 with `Retry-After`, as for any request still in progress.
 */
export function idempotency(keys: IdempotencyStore, options: { required: boolean }): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined) {
      if (options.required) {
        throw new ProblemError(400, 'idempotency_key_required', 'Idempotency-Key required', 'Send a unique Idempotency-Key header with this request');
      }
      next();
      return;
    }
    if (!KEY.test(key)) {
      throw new ProblemError(400, 'invalid_idempotency_key', 'Invalid Idempotency-Key', 'Use 8–128 characters: letters, digits, . _ : -');
    }
    const { userId } = principalOf(res);
    const fingerprint = requestFingerprint(req.method, req.path, req.body);
    if (!(await keys.claim(userId, key, fingerprint))) {
      replayOrRefuse(res, await keys.read(userId, key), fingerprint);
      return;
    }
    recordAnswer(res, {
      store: (status, headers, body) => keys.storeAnswer(userId, key, status, headers, body),
      release: () => keys.release(userId, key),
    });
    next();
  };
}

function replayOrRefuse(res: Response, stored: StoredKey | undefined, fingerprint: string): void {
  if (!stored) {
    // Deleted between our insert attempt and the read (the first attempt failed with a 5xx): let the client retry.
    throw new ProblemError(409, 'idempotency_request_in_progress', 'Request in progress', 'Retry this request shortly', {}, { 'Retry-After': '1' });
  }
  if (stored.request_hash !== fingerprint) {
    throw new ProblemError(422, 'idempotency_key_reused', 'Idempotency-Key reused', 'This key was already used with a different request');
  }
  if (stored.state === 'in_progress') {
    throw new ProblemError(409, 'idempotency_request_in_progress', 'Request in progress', 'The first request with this key has not finished', {}, { 'Retry-After': '1' });
  }
  res.status(stored.response_status ?? 200).set(stored.response_headers ?? {}).set('Idempotent-Replayed', 'true').send(stored.response_body ?? '');
}

/**
 * Captures the answer a handler sends (status, the replayable headers, body). A definite answer (below 500) goes out
 * at once and is stored meanwhile. A failed attempt (5xx) gives its key back before the client hears of it, so that
 * an immediate retry runs the request again.
 */
function recordAnswer(
  res: Response,
  keys: { store: (status: number, headers: Record<string, string>, body: string) => void; release: () => Promise<void> },
): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');
    if (res.statusCode >= 500) {
      const answer = (): void => void send(text);
      keys.release().then(answer, answer);
      return res;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.get(name);
      if (value !== undefined) headers[name] = value;
    }
    const status = res.statusCode;
    send(text);
    keys.store(status, headers, text);
    return res;
  }) as Response['send'];
}
