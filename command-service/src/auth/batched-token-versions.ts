import type pg from 'pg';
import { GroupCommit } from '@shop/kernel';
import type { TokenVersions } from '@shop/service-kit';

/** A batch's query failed: every lookup in it fails with that error (a read has no single bad item to retry alone). */
class LookupFailed {
  constructor(readonly error: unknown) {}
}

/**
 * The accounts' token versions as stored, read fresh for every write as `accountTokenVersions` reads them, but
 * concurrent lookups share one query (`id = ANY(…)`), the group-commit idea of the event store's appends applied to
 * a read. Under load every write checked its token with a round trip of its own; sixteen writers now cost about one
 * (decision 0081).
 *
 * Still fresh: a lookup never joins a query already sent. It waits in the queue while one is in flight and goes out
 * with the next, which starts after the lookup was asked for, so a logout or role change committed before a request
 * arrived is seen by that request, as with a query of its own.
 */
export class BatchedTokenVersions implements TokenVersions {
  private readonly lookups: GroupCommit<string, number | undefined | LookupFailed>;

  constructor(private readonly pool: pg.Pool) {
    this.lookups = new GroupCommit((userIds) => this.readBatch(userIds), 256);
  }

  async current(userId: string): Promise<number | undefined> {
    const version = await this.lookups.submit(userId);
    if (version instanceof LookupFailed) throw version.error;
    return version;
  }

  /** Queries sent so far (tests). */
  get queries(): number {
    return this.lookups.batchCount;
  }

  private async readBatch(userIds: string[]): Promise<Array<number | undefined | LookupFailed>> {
    let rows: Array<{ id: string; token_version: number }>;
    try {
      ({ rows } = await this.pool.query<{ id: string; token_version: number }>({
        name: 'token_versions',
        text: 'SELECT id::text, token_version FROM user_accounts WHERE id = ANY($1::uuid[])',
        values: [[...new Set(userIds)]],
      }));
    } catch (error) {
      // Answered, not thrown: GroupCommit would retry each lookup alone, one failing query after another.
      const failed = new LookupFailed(error);
      return userIds.map(() => failed);
    }
    // Postgres prints uuids in lower case; a token's subject is matched as the database would match it.
    const versions = new Map(rows.map((row) => [row.id, row.token_version]));
    return userIds.map((userId) => versions.get(userId.toLowerCase()));
  }
}
