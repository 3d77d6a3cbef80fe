/**
 * The newest Consistency-Token a client has been given. Writes answer the global position of their last event;
 * sending the newest one on every read makes the reads wait until the read model has that write
 * (session consistency: you see what you did, in order). Positions are decimal strings; compare them as bigints.
 */
export class ConsistencyTokens {
  private newest: bigint | undefined;

  /** Keeps `token` if it is newer than what is held; ignores absent or malformed ones. */
  observe(token: string | null | undefined): void {
    if (!token || !/^\d{1,19}$/.test(token)) return;
    const position = BigInt(token);
    if (this.newest === undefined || position > this.newest) this.newest = position;
  }

  /** The header value to send on reads, if any write has answered one. */
  get current(): string | undefined {
    return this.newest?.toString();
  }
}
