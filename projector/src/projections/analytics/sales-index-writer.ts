import { errors, type Client } from '@elastic/elasticsearch';
import { assertNever } from '@shop/domain';
import { salesFactDocumentId, salesIndexTemplate, toSalesFactDocument, type SalesFact } from '@shop/read-models';
import { SinkUnavailable } from '../projection.js';

/** How facts are sent: bounded bulks, one in flight, retryable failures retried with exponential back-off. */
export interface BulkPolicy {
  /** Most documents per bulk request: a batch of facts goes as consecutive bulks of at most this many. */
  maxDocuments: number;
  /** Tries per bulk (the first included) while Elasticsearch answers 429/5xx or cannot be reached. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BULK_POLICY: BulkPolicy = { maxDocuments: 1_000, maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 5_000 };

/** A document Elasticsearch refused for a reason retrying cannot fix (a mapping error, a malformed value). */
export interface RejectedDocument {
  id: string;
  status: number;
  type: string;
  reason: string;
}

/**
 * Thrown when Elasticsearch refused documents for good. A plain error on purpose: it is the events' fault, so the
 * runner applies the batch again event by event and dead-letters the one whose facts are refused.
 */
export class DocumentsRejected extends Error {
  override readonly name = 'DocumentsRejected';
  constructor(readonly rejected: readonly RejectedDocument[]) {
    const first = rejected[0];
    super(`Elasticsearch refused ${rejected.length} document(s)${first ? `, first ${first.id}: ${first.status} ${first.type}: ${first.reason}` : ''}`);
  }
}

export interface IndexOutcome {
  /** Documents written now. */
  indexed: number;
  /** Documents Elasticsearch already held at this version (a replay): success, nothing changed. */
  alreadyIndexed: number;
  /** Bulk requests sent, retries included. */
  requests: number;
}

type ItemVerdict = 'indexed' | 'already_indexed' | 'retry' | 'rejected';

/** How one bulk item's status is taken. 409 is a version conflict: the same fact at the same version is there. */
export function verdictOf(status: number): ItemVerdict {
  if (status >= 200 && status < 300) return 'indexed';
  if (status === 409) return 'already_indexed';
  if (status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

/** A failure of the whole request (not of an item) that is worth retrying: overload, server error, network. */
function isRetryableRequestError(error: unknown): boolean {
  if (error instanceof errors.ResponseError) return error.statusCode === 429 || (error.statusCode ?? 0) >= 500;
  return error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError;
}

export const backOffDelay = (policy: BulkPolicy, attempt: number): number => Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes sales facts to Elasticsearch idempotently: each fact is a document whose id is its identity (event + line)
 * and whose EXTERNAL version is the global position of its event. Replaying a fact (a crash between the bulk and
 * the checkpoint commit, a redelivery) answers 409 and changes nothing; a fact can never be overwritten by an
 * older write, whatever the order of arrival.
 */
export class SalesIndexWriter {
  constructor(
    private readonly client: Client,
    readonly index: string,
    private readonly policy: BulkPolicy = DEFAULT_BULK_POLICY,
    private readonly sleep: (ms: number) => Promise<void> = sleepFor,
  ) {}

  /** Puts the index template (PUT replaces: idempotent) and creates the index unless it exists. */
  async ensureIndex(): Promise<void> {
    await this.client.indices.putIndexTemplate(salesIndexTemplate(this.index));
    if (await this.client.indices.exists({ index: this.index })) return;
    try {
      await this.client.indices.create({ index: this.index });
    } catch (error) {
      // Another projector created it between our check and our create: just as good.
      const alreadyThere = error instanceof errors.ResponseError && JSON.stringify(error.body ?? '').includes('resource_already_exists_exception');
      if (!alreadyThere) throw error;
    }
  }

  /**
   * Sends the facts as consecutive bounded bulks, waiting for each before the next (back-pressure). The last bulk
   * asks for `refresh=wait_for`, so when this resolves every fact is searchable (one shard: see sales.index.ts) and
   * the checkpoint committed after it means "visible to analysts".
   */
  async indexFacts(facts: readonly SalesFact[]): Promise<IndexOutcome> {
    const outcome: IndexOutcome = { indexed: 0, alreadyIndexed: 0, requests: 0 };
    for (let start = 0; start < facts.length; start += this.policy.maxDocuments) {
      const chunk = facts.slice(start, start + this.policy.maxDocuments);
      await this.sendChunk(chunk, start + chunk.length >= facts.length, outcome);
    }
    return outcome;
  }

  private async sendChunk(chunk: readonly SalesFact[], last: boolean, outcome: IndexOutcome): Promise<void> {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      outcome.requests += 1;
      let items: Array<{ status: number; error?: { type?: string; reason?: string | null } }>;
      try {
        const response = await this.client.bulk({
          refresh: last ? 'wait_for' : false,
          operations: pending.flatMap((fact) => [
            { index: { _index: this.index, _id: salesFactDocumentId(fact), version: Number(fact.position), version_type: 'external' as const } },
            toSalesFactDocument(fact),
          ]),
        });
        items = response.items.map((item) => {
          const result = item.index ?? Object.values(item)[0]!;
          return { status: result.status, ...(result.error ? { error: result.error } : {}) };
        });
      } catch (error) {
        if (!isRetryableRequestError(error)) {
          // Not any one event's fault (a refused request, bad credentials, a missing privilege): keep retrying
          // in later rounds and say why, but never dead-letter events for it.
          throw new SinkUnavailable(`Elasticsearch refused the bulk request: ${(error as Error).message}`, { cause: error });
        }
        if (attempt >= this.policy.maxAttempts) {
          throw new SinkUnavailable(`Elasticsearch unavailable after ${attempt} attempts: ${(error as Error).message}`, { cause: error });
        }
        await this.sleep(backOffDelay(this.policy, attempt));
        continue;
      }
      const retry: SalesFact[] = [];
      const rejected: RejectedDocument[] = [];
      items.forEach((item, i) => {
        const fact = pending[i]!;
        const verdict = verdictOf(item.status);
        switch (verdict) {
          case 'indexed':
            outcome.indexed += 1;
            break;
          case 'already_indexed':
            outcome.alreadyIndexed += 1;
            break;
          case 'retry':
            retry.push(fact);
            break;
          case 'rejected':
            rejected.push({ id: salesFactDocumentId(fact), status: item.status, type: item.error?.type ?? 'unknown', reason: item.error?.reason ?? '' });
            break;
          default:
            assertNever(verdict);
        }
      });
      if (rejected.length) throw new DocumentsRejected(rejected);
      if (retry.length === 0) return;
      if (attempt >= this.policy.maxAttempts) {
        throw new SinkUnavailable(`Elasticsearch kept refusing ${retry.length} document(s) with 429/5xx after ${attempt} attempts`);
      }
      await this.sleep(backOffDelay(this.policy, attempt));
      pending = retry;
    }
  }
}
