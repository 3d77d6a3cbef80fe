import type { Request, RequestHandler, Response } from 'express';
import { IdempotencyKeyTaken, type IdempotencyClaim } from '@shop/kernel';
import { principalOf, PROBLEM_CONTENT_TYPE, ProblemError } from '@shop/service-kit';
import { commandProblem } from '../http/domain-problems.js';
import { decideIdempotency, requestFingerprint, type StoredAnswer } from './idempotency-decision.js';
import type { IdempotencyStore } from './idempotency-store.js';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** Headers a replay answers again (the rest are per-response or set by the server anyway). */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'consistency-token'];

/**
 * What an idempotent handler answers. `keyClaimed`: its append claimed the key (only where the route claims with the
 * append); an answer given without that append (a refusal) has its key claimed by the wrapper before it goes out.
 */
export interface IdempotentResult {
  answer: StoredAnswer;
  keyClaimed: boolean;
}

/**
 * A route's handler under `withIdempotency`. It answers by returning (or throwing: a definite problem is answered and
 * stored like any answer) and never writes to `res` itself. `claim` is set only where the route claims with the
 * append: the handler passes it to its append, whose IdempotencyKeyTaken the wrapper answers.
 */
export type IdempotentHandler = (req: Request, res: Response, claim: IdempotencyClaim | undefined) => Promise<IdempotentResult>;

/**
 * Rebuilds the answer of a request whose append committed but whose answer was never stored (its process died in
 * between), from what that append wrote, starting at its first stream; undefined when it cannot.
 */
export type RecoverAnswer = (appendStreamId: string) => Promise<StoredAnswer | undefined>;

export interface IdempotencyOptions {
  required: boolean;
  /** Claim the key in the command's own append (only over an event store that `claimsIdempotencyKeys`). */
  claimWithAppend?: boolean;
  recover?: RecoverAnswer;
}

/**
 * `Idempotency-Key` on creates. The first request with a key runs and its answer is stored (only answers below
 * 500: a failed attempt may be retried); the same key with the same body gets the stored answer, marked
 * `Idempotent-Replayed: true`; with another body 422; while the first is still running, the retry waits for it (on any
 * instance: LISTEN/NOTIFY, decision 0091) and gets its answer, or 409 after `inProgressWaitMs` (`decideIdempotency`).
 * Keys are scoped per user (the token's subject), so one user can never replay another's answer.
 *
 * The store's pool should commit asynchronously (no WAL flush wait: two fsyncs per create would otherwise triple its
 * cost). That is safe for the claim: WAL is flushed in order, so when the create's events are durable, the claim
 * written before them is too; a retry can never run the create twice. The stored answer can be lost only by a
 * database crash within milliseconds of it (before any later commit flushes it), or by the process dying before it
 * is written; the key then stays "in progress" and a retry answers 409 rather than creating anything twice, or,
 * with `recover`, the answer rebuilt from the committed append.
 *
 * A definite answer (below 500) goes out as soon as the handler returns and is stored meanwhile: the command is
 * committed by then, and waiting for the bookkeeping write would add a round trip to every create. A retry that
 * reaches this process while the answer is being written waits for it (`IdempotencyStore.read`); one that reaches
 * another instance waits for the answer's completion signal, as for any request still in progress. A
 * failure (5xx) gives its key back before the client hears of it, so that an immediate retry runs again.
 *
 * `claimWithAppend` saves the claim's round trip: the key is claimed in the command's own append transaction, so a
 * create waits for one write, not two. A retry then runs the decider again, but its append finds the key taken and
 * writes nothing (IdempotencyKeyTaken): it is answered as the key's first request was. An answer given without that
 * append (a refusal, a bad body) claims the key first, as a route without the option does, so every answer is still
 * stored, or replayed, exactly once; a failure then leaves the key unclaimed.
 *
 * With `recover`, a key claimed in an append but still in progress is not a dead end. Its append committed, so its
 * outcome is in the store, at the append's first stream, which the key names. The route rebuilds the answer from it,
 * and that answer is sent, marked replayed, and stored. It is the same answer whether the first request's process
 * died before storing it (the key would otherwise stay in progress for good) or is about to store it.
 */
export function withIdempotency(keys: IdempotencyStore, options: IdempotencyOptions, handler: IdempotentHandler): RequestHandler {
  return async (req, res) => {
    const key = idempotencyKeyOf(req, options.required);
    if (key === undefined) {
      sendAnswer(res, (await handler(req, res, undefined)).answer);
      return;
    }
    const { userId } = principalOf(res);
    const requestHash = requestFingerprint(req.method, req.path, req.body);
    const claim: IdempotencyClaim = { userId, key, requestHash };

    /** The key is this request's: the answer goes out at once and is stored meanwhile; a failure gives the key back. */
    const answerOwned = async (answer: StoredAnswer): Promise<void> => {
      if (answer.status >= 500) {
        await keys.release(userId, key).catch(() => undefined);
        sendAnswer(res, answer);
        return;
      }
      const replayable = sendAnswer(res, answer);
      keys.storeAnswer(userId, key, answer.status, replayable, answer.body);
    };

    /**
     * The key was taken by another request: answer as its first request was, or 422/409; nothing is stored. While the
     * first request is still running (here or on another instance), wait for its completion signal, bounded by
     * `keys.inProgressWaitMs`, then decide again: the retry gets the first answer, not a 409 it must retry.
     */
    const answerTaken = async (): Promise<void> => {
      const deadline = Date.now() + keys.inProgressWaitMs;
      const canRecover = options.recover !== undefined;
      let decision = decideIdempotency(await keys.read(userId, key), requestHash, { canRecover, canWait: keys.inProgressWaitMs > 0 });
      if (decision.kind === 'wait') {
        // Watch first, then read again: a completion between the first read and the watch is seen by this read.
        const watch = await keys.watch(userId, key);
        try {
          for (;;) {
            decision = decideIdempotency(await keys.read(userId, key), requestHash, { canRecover, canWait: Date.now() < deadline });
            if (decision.kind !== 'wait') break;
            await watch.next(deadline - Date.now());
          }
        } finally {
          watch.close();
        }
      }
      switch (decision.kind) {
        case 'replay':
          sendReplay(res, decision.answer);
          return;
        case 'recover': {
          const recovered = await options.recover!(decision.appendStreamId);
          if (!recovered) throw refusal('in_progress');
          sendReplay(res, recovered);
          keys.storeAnswer(userId, key, recovered.status, recovered.headers, recovered.body);
          return;
        }
        case 'refuse':
          throw refusal(decision.reason);
        case 'run':
          // Given back between our claim and this read (its first attempt failed with a 5xx): the client may retry.
          throw new ProblemError(409, 'idempotency_request_in_progress', 'Request in progress', 'Retry this request shortly', {}, { 'Retry-After': '1' });
      }
    };

    if (!options.claimWithAppend) {
      if (!(await keys.claim(userId, key, requestHash))) return answerTaken();
      const result = await definiteResult(() => handler(req, res, undefined));
      if (result instanceof Failure) {
        await keys.release(userId, key).catch(() => undefined);
        throw result.error;
      }
      return answerOwned(result.answer);
    }

    const result = await definiteResult(() => handler(req, res, claim));
    if (result instanceof Failure) {
      if (result.error instanceof IdempotencyKeyTaken) return answerTaken();
      throw result.error; // nothing claimed the key: it stays free for the retry
    }
    if (result.keyClaimed) return answerOwned(result.answer);
    // Answered without the append that would have claimed the key (a refusal, a bad body): claim it before answering.
    if (!(await keys.claim(userId, key, requestHash))) return answerTaken();
    return answerOwned(result.answer);
  };
}

/** The request's Idempotency-Key, validated; undefined when absent and not required. */
function idempotencyKeyOf(req: Request, required: boolean): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) {
    if (!required) return undefined;
    throw new ProblemError(400, 'idempotency_key_required', 'Idempotency-Key required', 'Send a unique Idempotency-Key header with this request');
  }
  if (!KEY.test(key)) throw new ProblemError(400, 'invalid_idempotency_key', 'Invalid Idempotency-Key', 'Use 8–128 characters: letters, digits, . _ : -');
  return key;
}

const refusal = (reason: 'key_reused' | 'in_progress'): ProblemError =>
  reason === 'key_reused'
    ? new ProblemError(422, 'idempotency_key_reused', 'Idempotency-Key reused', 'This key was already used with a different request')
    : new ProblemError(409, 'idempotency_request_in_progress', 'Request in progress', 'The first request with this key has not finished', {}, { 'Retry-After': '1' });

/** A handler's failure that is not a definite answer: the database, a bug, or a taken key. */
class Failure {
  constructor(readonly error: unknown) {}
}

/** The handler's result; a thrown definite problem (below 500) becomes its answer, anything else a Failure. */
async function definiteResult(run: () => Promise<IdempotentResult>): Promise<IdempotentResult | Failure> {
  try {
    return await run();
  } catch (error) {
    const problem = commandProblem(error);
    if (!problem || problem.status >= 500) return new Failure(error);
    return { answer: problemAnswer(problem), keyClaimed: false };
  }
}

/** A problem as an answer: exactly what the service's problem handler would send (service-kit `sendProblem`). */
const problemAnswer = (problem: ProblemError): StoredAnswer => ({
  status: problem.status,
  headers: { ...problem.headers, 'content-type': PROBLEM_CONTENT_TYPE },
  body: JSON.stringify(problem.toBody()),
});

/** Sends an answer; returns its replayable headers as they went out. */
function sendAnswer(res: Response, answer: StoredAnswer): Record<string, string> {
  res.status(answer.status).set(answer.headers);
  const replayable: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.get(name);
    if (value !== undefined) replayable[name] = value;
  }
  res.send(answer.body);
  return replayable;
}

/** Sends a stored (or recovered) answer again, marked `Idempotent-Replayed`. */
function sendReplay(res: Response, answer: StoredAnswer): void {
  res.status(answer.status).set(answer.headers).set('Idempotent-Replayed', 'true').send(answer.body);
}
