import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { IdempotencyKeyTaken, type IdempotencyClaim } from '@shop/kernel';
import { failureProblem, principalOf, ProblemError, sendProblem } from '@shop/service-kit';
import type { IdempotencyStore, StoredKey } from './idempotency-store.js';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** Headers a replay answers again (the rest are per-response or set by the server anyway). */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'consistency-token'];


/**
 * The claim a handler writes with its append (`claimWithAppend`). The handler says when that append committed
 * (`written`), or hands over the append's IdempotencyKeyTaken (`answerTaken`): the request is then answered as its
 * key's first request was (or 422/409), and nothing of its own is stored.
 */
export interface DeferredClaim {
  claim: IdempotencyClaim;
  written(): void;
  answerTaken(): void;
}

const DEFERRED_CLAIM = 'deferredIdempotencyClaim';

/** The claim this request's append should carry, when its route claims with the append. */
const deferredClaim = (res: Response): DeferredClaim | undefined => res.locals[DEFERRED_CLAIM] as DeferredClaim | undefined;

/** Runs a handler's append with its deferred claim; a taken key is answered (and undefined returned). */
export async function withDeferredClaim<T>(res: Response, append: (claim: IdempotencyClaim | undefined) => Promise<T>): Promise<T | undefined> {
  const deferred = deferredClaim(res);
  try {
    const result = await append(deferred?.claim);
    deferred?.written();
    return result;
  } catch (error) {
    if (!deferred || !(error instanceof IdempotencyKeyTaken)) throw error;
    deferred.answerTaken();
    return undefined;
  }
}

/** An answer as stored for replays: its status, the replayable headers, its body. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Rebuilds the answer of a request whose append committed but whose answer was never stored (its process died in
 * between), from what that append wrote, starting at its first stream; undefined when it cannot.
 */
export type RecoverAnswer = (appendStreamId: string) => Promise<StoredAnswer | undefined>;

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
 * crash within milliseconds of it (before any later commit flushes it), or by the process dying before it is
 * written; the key then stays "in progress" and a retry answers 409 rather than creating anything twice, or,
 * with `recover`, the answer rebuilt from the committed append.
 *
 * A definite answer (below 500) goes out as soon as the handler sends it and is stored meanwhile: the command is
 * committed by then, and waiting for the bookkeeping write would add a round trip to every create. A retry that
 * reaches this process while the answer is being written waits for it (`IdempotencyStore.read`); one that reaches
 * another instance in that millisecond answers 409 with `Retry-After`, as for any request still in progress.
 *
 * `claimWithAppend` (only over an event store that `claimsIdempotencyKeys`) saves the claim's round trip: the key
 * is claimed in the command's own append transaction (`deferredClaim`), so a create waits for one write, not two.
 * A retry then runs the decider again, but its append finds the key taken and writes nothing (`withDeferredClaim`).
 * An answer given without that append (a refusal, a bad body) claims the key first, as a route without the option
 * does, so every answer is still stored, or replayed, exactly once.
 *
 * With `recover`, a key claimed in an append but still in progress is not a dead end. Its append committed, so its
 * outcome is in the store, at the append's first stream, which the key names. The route rebuilds the answer from it,
 * and that answer is sent, marked replayed, and stored. It is the same answer whether the first request's process
 * died before storing it (the key would otherwise stay in progress for good) or is about to store it.
 */
export function idempotency(
  keys: IdempotencyStore,
  options: { required: boolean; claimWithAppend?: boolean; recover?: RecoverAnswer },
): RequestHandler {
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
    const answers: AnswerBook = {
      store: (status, headers, body) => keys.storeAnswer(userId, key, status, headers, body),
      release: () => keys.release(userId, key),
    };
    if (options.claimWithAppend) {
      let written = false;
      const answerTaken = recordAnswer(res, answers, {
        isWritten: () => written,
        claim: () => keys.claim(userId, key, fingerprint),
        refuse: async () => {
          const stored = await keys.read(userId, key);
          const recovered = stored && options.recover ? await recoverCommitted(stored, fingerprint, options.recover) : undefined;
          if (!recovered) return replayOrRefuse(res, stored, fingerprint);
          sendReplay(res, recovered);
          keys.storeAnswer(userId, key, recovered.status, recovered.headers, recovered.body);
        },
        failed: (error) => keys.logger.error({ err: error, userId, idempotencyKey: key }, 'idempotency key not claimed'),
      });
      const deferred: DeferredClaim = { claim: { userId, key, requestHash: fingerprint }, written: () => (written = true), answerTaken };
      res.locals[DEFERRED_CLAIM] = deferred;
      next();
      return;
    }
    if (!(await keys.claim(userId, key, fingerprint))) {
      replayOrRefuse(res, await keys.read(userId, key), fingerprint);
      return;
    }
    recordAnswer(res, answers);
    next();
  };
}

/** Where a request's answer goes: stored for replays, or (a failed attempt) the key given back. */
interface AnswerBook {
  store: (status: number, headers: Record<string, string>, body: string) => void;
  release: () => Promise<void>;
}

/** A claim still to be made when the handler answers without the append that would have written it. */
interface PendingClaim {
  isWritten: () => boolean;
  claim: () => Promise<boolean>;
  /** The key was taken meanwhile: answer as its owner did (or 422/409). */
  refuse: () => Promise<void>;
  /** The claim or the read behind the refusal failed (the database): logged, answered 500 (503 when out of reach). */
  failed: (error: unknown) => void;
}

/** The answer of a key still in progress whose append committed (the same request only), rebuilt by `recover`. */
async function recoverCommitted(stored: StoredKey, fingerprint: string, recover: RecoverAnswer): Promise<StoredAnswer | undefined> {
  if (stored.state !== 'in_progress' || stored.request_hash !== fingerprint || !stored.append_stream_id) return undefined;
  return recover(stored.append_stream_id);
}

/** Sends a stored (or recovered) answer again, marked `Idempotent-Replayed`. */
function sendReplay(res: Response, answer: StoredAnswer): void {
  // A refused attempt may already have set its own headers: the replay carries the first answer's only.
  for (const name of REPLAYED_HEADERS) res.removeHeader(name);
  res.status(answer.status).set(answer.headers).set('Idempotent-Replayed', 'true').send(answer.body);
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
  sendReplay(res, { status: stored.response_status ?? 200, headers: stored.response_headers ?? {}, body: stored.response_body ?? '' });
}

/**
 * Captures the answer a handler sends (status, the replayable headers, body). A definite answer (below 500) goes out
 * at once and is stored meanwhile. A failed attempt (5xx) gives its key back before the client hears of it, so that
 * an immediate retry runs the request again. With a `pending` claim not written by the handler's append, the key is
 * claimed first (a failure then leaves it unclaimed), and an answer that finds it taken becomes the replay.
 * Returns how to answer a request whose key turned out to be taken: the replay, or 422/409, never stored.
 */
function recordAnswer(res: Response, keys: AnswerBook, pending?: PendingClaim): () => void {
  const send = res.send.bind(res);
  const answerTaken = (): void => {
    if (!pending) throw new Error('answerTaken needs a pending claim');
    res.send = send;
    pending.refuse().catch((error: unknown) => {
      if (!(error instanceof ProblemError)) pending.failed(error);
      if (!res.headersSent) sendProblem(res, error instanceof ProblemError ? error : failureProblem(error));
    });
  };
  res.send = ((body?: unknown) => {
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');
    if (pending && !pending.isWritten()) {
      // Nothing claimed the key yet: a failure (5xx) leaves it free; any other answer claims it before going out.
      res.send = send;
      if (res.statusCode >= 500) return send(text);
      const status = res.statusCode;
      pending.claim().then(
        (claimed) => (claimed ? answer(status, text) : answerTaken()),
        (error: unknown) => {
          pending.failed(error);
          sendProblem(res, failureProblem(error));
        },
      );
      return res;
    }
    if (res.statusCode >= 500) {
      const sendFailure = (): void => void send(text);
      keys.release().then(sendFailure, sendFailure);
      return res;
    }
    answer(res.statusCode, text);
    return res;
  }) as Response['send'];

  /** A definite answer: sent at once, and stored meanwhile. */
  function answer(status: number, text: string): void {
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.get(name);
      if (value !== undefined) headers[name] = value;
    }
    res.status(status);
    send(text);
    keys.store(status, headers, text);
  }

  return answerTaken;
}
