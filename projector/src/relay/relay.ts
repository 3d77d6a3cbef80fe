import { headers as natsHeaders, type JetStreamClient } from 'nats';
import pg from 'pg';
import { BUS_HEADERS, encodeIntegrationEvent, eventSubject, Wakeup, type EventBusNames, type EventStore, type RecordedEvent } from '@shop/kernel';
import { endSpan, startLinkedSpan, traceparentOf, type Logger, type Span, type Tracer } from '@shop/service-kit';
import type { ProjectorMetrics } from '../metrics.js';

const RELAY_LOCK_KEY = 7_246_100;
const BATCH_SIZE = 500;
const PUBLISH_TIMEOUT_MS = 5_000;
const IDLE_CHECK_MS = 1_000;

export interface RelayDeps {
  pool: pg.Pool;
  connectionString: string;
  store: EventStore;
  js: JetStreamClient;
  names: EventBusNames;
  metrics: ProjectorMetrics;
  logger: Logger;
  /** Checkpoint row name; tests give each relay its own. */
  relayName?: string;
  /** Set when tracing is on: a publish span per event that carries a trace context (the command's request span). */
  tracer?: Tracer;
}

/**
 * Store → JetStream. The store is the outbox: the relay reads it in global order and publishes each event with
 * `Nats-Msg-Id = event id`, then moves its checkpoint. One leader at a time (a session advisory lock); after a
 * crash the next leader resumes from the checkpoint, and anything published twice is dropped by JetStream's
 * duplicate window or ignored by projections' checkpoints.
 */
export class Relay {
  private stopped = false;
  private readonly wakeup = new Wakeup();
  private readonly name: string;
  private checkpoint = 0n;
  private checkpointWrite: Promise<void> = Promise.resolve();
  private markStopped: () => void = () => undefined;
  private readonly stoppedSignal = new Promise<void>((resolve) => (this.markStopped = resolve));

  constructor(private readonly deps: RelayDeps) {
    this.name = deps.relayName ?? `${deps.names.subjectPrefix}-relay`;
  }

  get position(): bigint {
    return this.checkpoint;
  }

  stop(): void {
    this.stopped = true;
    this.markStopped();
    this.wakeup.wake();
  }

  async run(): Promise<void> {
    const { logger } = this.deps;
    while (!this.stopped) {
      const lockClient = new pg.Client({ connectionString: this.deps.connectionString, application_name: 'relay-leader' });
      // The advisory lock lives as long as this connection: losing it means losing leadership.
      const leadershipLost = new Promise<void>((resolve) => lockClient.on('error', () => resolve()));
      try {
        await lockClient.connect();
        const { rows } = await lockClient.query<{ leader: boolean }>('SELECT pg_try_advisory_lock($1) AS leader', [RELAY_LOCK_KEY]);
        if (!rows[0]?.leader) {
          await lockClient.end();
          await this.wakeup.sleep(IDLE_CHECK_MS);
          continue;
        }
        logger.info('relay is the leader');
        await this.lead(leadershipLost);
      } catch (err) {
        if (!this.stopped) logger.error({ err }, 'relay round failed; retrying');
        await this.wakeup.sleep(1_000);
      } finally {
        await lockClient.end().catch(() => undefined);
      }
    }
  }

  private async lead(leadershipLost: Promise<void>): Promise<void> {
    const { pool, store, metrics, logger } = this.deps;
    await pool.query('INSERT INTO relay_checkpoints (relay, position) VALUES ($1, 0) ON CONFLICT DO NOTHING', [this.name]);
    const { rows } = await pool.query<{ position: string }>('SELECT position FROM relay_checkpoints WHERE relay = $1', [this.name]);
    this.checkpoint = BigInt(rows[0]!.position);
    const subscription = store.subscribeToAll({
      after: this.checkpoint,
      batchSize: BATCH_SIZE,
      onEvents: async (events) => {
        // All in flight at once; JetStream acks each after storing it. Any failure: nothing is checkpointed and
        // the subscription retries the same batch (duplicates are dropped by Nats-Msg-Id).
        await Promise.all(
          // An explicit acknowledgement timeout: while the server is gone a publish fails (and the batch is retried)
          // rather than waiting for ever.
          events.map((event) => this.publish(event)),
        );
        const last = events.at(-1)!.globalPosition;
        // The checkpoint is written behind the feed, one write at a time, never moving back: the next batch does not
        // wait for it. A crash can lose the last writes; the next leader then publishes those events again, and
        // JetStream's duplicate window or the projections' checkpoints absorb them.
        this.checkpointWrite = this.checkpointWrite
          .then(() => pool.query('UPDATE relay_checkpoints SET position = GREATEST(position, $2), updated_at = now() WHERE relay = $1', [this.name, last.toString()]))
          .then(
            () => undefined,
            (err: unknown) => logger.warn({ err }, 'relay checkpoint write failed; the next one covers it'),
          );
        this.checkpoint = last;
        metrics.relayPosition.set(Number(last));
        metrics.relayPublished.inc(events.length);
      },
      onError: (err) => logger.warn({ err }, 'relay batch failed; retrying'),
    });
    await Promise.race([this.stoppedSignal, leadershipLost]);
    await subscription.stop();
    await this.checkpointWrite;
  }

  /**
   * One event onto the bus, with its correlation id in the headers and, when tracing is on and the event carries a
   * trace context, a publish span (child of the span that appended it) whose context the projector continues.
   */
  private async publish(event: RecordedEvent): Promise<void> {
    const { js, names, tracer } = this.deps;
    const subject = eventSubject(names, event);
    const headers = natsHeaders();
    headers.set(BUS_HEADERS.correlationId, event.metadata.correlationId);
    let span: Span | undefined;
    if (tracer && event.metadata.traceparent) {
      span = startLinkedSpan(tracer, `publish ${subject}`, 'producer', event.metadata.traceparent, {
        'messaging.system': 'nats',
        'messaging.destination.name': subject,
        'messaging.message.id': event.eventId,
        'labels.correlation_id': event.metadata.correlationId,
      });
      const traceparent = traceparentOf(span);
      if (traceparent) headers.set(BUS_HEADERS.traceparent, traceparent);
    }
    try {
      await js.publish(subject, encodeIntegrationEvent(event), { msgID: event.eventId, timeout: PUBLISH_TIMEOUT_MS, headers });
      if (span) endSpan(span);
    } catch (error) {
      if (span) endSpan(span, error);
      throw error;
    }
  }
}
