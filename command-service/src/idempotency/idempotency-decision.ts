import { createHash } from 'node:crypto';

/** An answer as sent and as stored for replays: its status, the replayable headers, its body. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A key's row as the store reads it (`idempotency_keys`). */
export interface StoredKey {
  request_hash: string;
  state: 'in_progress' | 'done';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  /** Set when the key was claimed in an append: that append's first stream (see `recover` in withIdempotency). */
  append_stream_id: string | null;
}

/** What identifies "the same request": method, path and the parsed body (so whitespace does not matter). */
export const requestFingerprint = (method: string, path: string, body: unknown): string =>
  createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('hex');

/**
 * What a request does with its key, given what is stored under it:
 * - `run`: nothing is stored, the key is free (a request that failed to claim it finds it given back meanwhile);
 * - `replay`: the same request was answered: send that answer again;
 * - `recover`: the same request is still in progress but its append committed (it names the append's first
 *   stream): its answer can be rebuilt from the store, when the route knows how (`canRecover`);
 * - `wait`: the same request is still running (on this instance or another) and the caller may still wait
 *   (`canWait`): wait for the key's completion signal, then read it and decide again;
 * - `refuse`: another request used the key (`key_reused`, 422) or the same one is still running and the caller has
 *   waited long enough (`in_progress`, 409).
 */
export type IdempotencyDecision =
  | { kind: 'run' }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'recover'; appendStreamId: string }
  | { kind: 'wait' }
  | { kind: 'refuse'; reason: 'key_reused' | 'in_progress' };

export function decideIdempotency(
  stored: StoredKey | undefined,
  fingerprint: string,
  options: { canRecover: boolean; canWait: boolean },
): IdempotencyDecision {
  if (!stored) return { kind: 'run' };
  if (stored.request_hash !== fingerprint) return { kind: 'refuse', reason: 'key_reused' };
  if (stored.state === 'in_progress') {
    if (options.canRecover && stored.append_stream_id) return { kind: 'recover', appendStreamId: stored.append_stream_id };
    return options.canWait ? { kind: 'wait' } : { kind: 'refuse', reason: 'in_progress' };
  }
  return { kind: 'replay', answer: { status: stored.response_status ?? 200, headers: stored.response_headers ?? {}, body: stored.response_body ?? '' } };
}
