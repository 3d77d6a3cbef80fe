import type pg from 'pg';
import { listenForNotifications, Wakeup, withTransactionClient, type EventStore, type NotificationListener } from '@shop/kernel';
import { REDRIVE_REQUEST_CHANNEL, REDRIVE_REQUESTS_TABLE, type RedriveOutcome } from '@shop/read-models';
import type { Logger } from '@shop/service-kit';
import type { Projection } from '../projections/projection.js';
import { redriveDeadLetters, type RedriveResult } from './redrive.js';

export interface RedriveRequestDeps {
  pool: pg.Pool;
  store: EventStore;
  /** The projections this process runs, by name: it takes requests for these only (analytics only where ES is set). */
  projections: ReadonlyMap<string, Projection>;
  invalidate: (keys: string[], position: bigint) => Promise<void>;
  logger: Logger;
}

/** What a taken request came to, as recorded on its row. */
export interface FinishedRedriveRequest {
  id: string;
  projection: string;
  outcome: RedriveOutcome;
  redriven: number | null;
  error: string | null;
}

/** The outcome to record for a redrive that returned, or threw (a letter whose event is not in the store, a lost database). */
function outcomeOf(result: RedriveResult | Error): Pick<FinishedRedriveRequest, 'outcome' | 'redriven' | 'error'> {
  if (result instanceof Error) return { outcome: 'failed', redriven: null, error: result.message };
  if (result.failedAt) return { outcome: 'failed', redriven: result.redriven, error: `position ${result.failedAt.position}: ${result.failedAt.error}` };
  return { outcome: 'redriven', redriven: result.redriven, error: null };
}

/**
 * Takes the oldest open redrive request for one of this process's projections that no other process holds, redrives
 * that projection's dead letters (the CLI's redrive, every partition's letters) and records the outcome; undefined
 * when there was none to take.
 *
 * The row stays locked (FOR UPDATE, in a transaction on its own connection) from taking to recording, so processes
 * that run the same projection (partitions spread over processes) skip it while one works on it, and a process killed
 * half-way releases it unfinished for the next to take. Nothing is lost or done twice: each letter left the dead
 * letters in the transaction that applied it again, so the next redrive finds only what is still parked.
 */
export async function takeRedriveRequest(deps: RedriveRequestDeps): Promise<FinishedRedriveRequest | undefined> {
  return withTransactionClient(deps.pool, async (client) => {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; projection: string }>(
      `SELECT id, projection FROM ${REDRIVE_REQUESTS_TABLE}
        WHERE finished_at IS NULL AND projection = ANY($1::text[])
        ORDER BY requested_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [[...deps.projections.keys()]],
    );
    const request = rows[0];
    const projection = request && deps.projections.get(request.projection);
    if (!request || !projection) {
      await client.query('COMMIT');
      return undefined;
    }
    const log = deps.logger.child({ redriveRequest: request.id, projection: request.projection });
    const result = await redriveDeadLetters(deps.pool, deps.store, projection, deps.invalidate, (line) => log.info(line)).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
    const finished = { id: request.id, projection: request.projection, ...outcomeOf(result) };
    await client.query(
      // now() is this transaction's start, when the request was taken; clock_timestamp() is the time of recording.
      `UPDATE ${REDRIVE_REQUESTS_TABLE} SET started_at = now(), finished_at = clock_timestamp(), outcome = $2, redriven = $3, error = $4 WHERE id = $1`,
      [finished.id, finished.outcome, finished.redriven, finished.error],
    );
    await client.query('COMMIT');
    if (finished.outcome === 'failed') log.warn({ error: finished.error, redriven: finished.redriven }, 'redrive request failed: the rest stays parked');
    return finished;
  });
}

/**
 * Serves redrive requests for the projections this process runs: woken by the NOTIFY of a new request, and every
 * `pollMs` besides (a notification missed while the listening connection was down; a request a killed process
 * left open). Takes one request after another until none is left, then sleeps.
 */
export class RedriveRequestWorker {
  private readonly wakeup = new Wakeup();
  private stopping = false;

  constructor(private readonly deps: RedriveRequestDeps & { connectionString: string; pollMs: number }) {}

  async run(): Promise<void> {
    const { logger } = this.deps;
    const listener: NotificationListener | undefined = await listenForNotifications({
      connectionString: this.deps.connectionString,
      channel: REDRIVE_REQUEST_CHANNEL,
      onNotification: (projection) => {
        if (this.deps.projections.has(projection)) this.wakeup.wake();
      },
      onReconnect: () => this.wakeup.wake(),
      onError: (err) => logger.warn({ err: err.message }, 'redrive requests: listening connection lost; polling meanwhile'),
    }).catch((err: unknown) => {
      logger.warn({ err: (err as Error).message }, 'redrive requests: cannot LISTEN; polling only');
      return undefined;
    });
    try {
      while (!this.stopping) {
        try {
          while (!this.stopping && (await takeRedriveRequest(this.deps))) {
            // One more: requests for other projections may be waiting.
          }
        } catch (err) {
          // Left open (its transaction rolled back): taken again on the next look.
          logger.warn({ err: (err as Error).message }, 'redrive requests: could not take or finish a request; retrying later');
        }
        await this.wakeup.sleep(this.deps.pollMs);
      }
    } finally {
      await listener?.close();
    }
  }

  /** Ends `run` after the request in hand, if any, is recorded. */
  stop(): void {
    this.stopping = true;
    this.wakeup.wake();
  }
}
