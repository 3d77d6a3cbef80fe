/**
 * Revocation by token version. Every account has a version (user_accounts.token_version); a token carries the
 * version it was issued under (claim `ver`). Logging out or changing the account's role or password bumps the
 * version, and every token issued before is then refused. A deleted account (erasure) has no version at all.
 */
export interface TokenVersions {
  /** The account's current token version; undefined when the account does not exist (any more). */
  current(userId: string): Promise<number | undefined>;
}

/** What `accountTokenVersions` needs of a database client (a `pg.Pool` fits); service-kit does not depend on pg. */
export interface SqlQueryable {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The accounts' token versions as stored (user_accounts.token_version), read at every call. The command service
 * uses it as is (checked on every write); the query service behind `CachedTokenVersions`. The query role may read
 * only the `id` and `token_version` columns (0900-roles-and-grants.sql grants).
 */
export const accountTokenVersions = (db: SqlQueryable): TokenVersions => ({
  async current(userId) {
    const { rows } = await db.query('SELECT token_version FROM user_accounts WHERE id = $1', [userId]);
    return (rows[0] as { token_version: number } | undefined)?.token_version;
  },
});

export interface CachedTokenVersionsOptions {
  /** How long a looked-up version is trusted: a revoked token keeps working on reads for at most this long. */
  ttlMs: number;
  /** Bound on remembered accounts (least recently used go first), so memory stays bounded under any traffic. */
  maxEntries: number;
  now?: () => number;
}

/**
 * A short-lived, bounded cache in front of the store's versions, for the read path: a read then costs a map lookup,
 * not a query. Concurrent misses for one account share one lookup; a failed lookup is not remembered.
 */
export class CachedTokenVersions implements TokenVersions {
  private readonly entries = new Map<string, { version: Promise<number | undefined>; at: number }>();
  private readonly now: () => number;

  constructor(
    private readonly source: TokenVersions,
    private readonly options: CachedTokenVersionsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  current(userId: string): Promise<number | undefined> {
    const now = this.now();
    const entry = this.entries.get(userId);
    if (entry && now - entry.at < this.options.ttlMs) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.entries.delete(userId);
      this.entries.set(userId, entry);
      return entry.version;
    }
    if (entry) this.entries.delete(userId);
    if (this.options.ttlMs <= 0) return this.source.current(userId);
    const version = this.source.current(userId);
    this.entries.set(userId, { version, at: now });
    version.catch(() => {
      if (this.entries.get(userId)?.version === version) this.entries.delete(userId);
    });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return version;
  }

  /** Accounts currently remembered (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }
}
