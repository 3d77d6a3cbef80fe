const POSITION = /^\d{1,19}$/;

/**
 * The later of two global positions (decimal strings, compared as bigints: they pass 2^53). Writes can answer out of
 * order (two tabs, concurrent requests), and a write that changed nothing answers `0`: a session keeps the highest
 * position it has seen. An absent or malformed position counts as none.
 */
export function laterPosition(current: string | null | undefined, next: string | null | undefined): string | undefined {
  const held = current && POSITION.test(current) ? current : undefined;
  if (!next || !POSITION.test(next)) return held;
  return held === undefined || BigInt(next) > BigInt(held) ? next : held;
}

/**
 * The newest Consistency-Token a client has been given. Writes answer the global position of their last event;
 * sending the newest one on every read makes the reads wait until the read model has that write
 * (session consistency: you see what you did, in order).
 */
export class ConsistencyTokens {
  private newest: string | undefined;

  /** Keeps `token` if it is newer than what is held; ignores absent or malformed ones. */
  observe(token: string | null | undefined): void {
    this.newest = laterPosition(this.newest, token);
  }

  /** The header value to send on reads, if any write has answered one. */
  get current(): string | undefined {
    return this.newest;
  }
}
