import type { JetStreamClient, JetStreamManager, JsMsg } from 'nats';
import type pg from 'pg';
import { BUS_HEADERS, Wakeup, type EventBusNames, type EventStore, type ProjectedEvent } from '@shop/kernel';
import { endSpan, startLinkedSpan, traceIdOf, type Logger, type Span, type Tracer } from '@shop/service-kit';
import type { ProjectorMetrics } from '../metrics.js';
import { mayConcern, SinkUnavailable, type Projection } from '../projections/projection.js';
import { ensureCheckpoint } from './checkpoint-store.js';
import { applyCheckpointedBatch, PositionGap, type BatchResult, type PoisonPolicy } from './checkpointed-batch.js';
import { contiguousBatch, eventsOf, openBusFeed } from './event-feed.js';
import { checkpointNameOf, type Partition } from './partition.js';

const BATCH_SIZE = 500;
const IDLE_CHECK_MS = 1_000;
/**
 * A batch of events this projection does not care about moves its checkpoint in memory only; the row is written
 * with the next batch it applies, or once this long has passed: readers waiting on this read model see it move
 * that much later, and the projection saves a transaction per such batch (most of them, for a projection of one
 * kind of stream among several).
 */
const CHECKPOINT_FLUSH_MS = 50;

export interface ProjectionRunnerDeps {
  pool: pg.Pool;
  store: EventStore;
  projection: Projection;
  /**
   * Marks cache keys the committed batch made stale, as of the batch's last position (so no reader can put an
   * older body back: see read-models' stamped-cache.ts); failures are logged, TTLs are the safety net.
   */
  invalidate: (keys: string[], position: bigint) => Promise<void>;
  metrics: ProjectorMetrics;
  logger: Logger;
  /** Events per batch (store reads and bus batches); default 500. A sink with a fixed cost per batch wants more. */
  batchSize?: number;
  /** Run as one partition of the projection (see partition.ts); absent: the whole projection. */
  partition?: Partition;
  /** Set when tracing is on: a span per bus message that carries a trace context, child of the relay's publish span. */
  tracer?: Tracer;
}

/**
 * Feeds one projection, in three parts a reader can take one at a time: the feed (event-feed.ts: the bus or the
 * store, deduplicated, holes filled from the store), the batch application (checkpointed-batch.ts: events and
 * checkpoint in one transaction, poison events dead-lettered) and the checkpoint store (checkpoint-store.ts). What
 * is left here is the loop around them: when to read, when to write a checkpoint that only moved in memory, what to
 * do when a batch fails.
 */
export class ProjectionRunner {
  private checkpoint = 0n;
  /** The checkpoint as last written (≤ `checkpoint`: the difference is events vouched for, see applyEvents). */
  private persisted = 0n;
  /** Since when `checkpoint` is ahead of `persisted`. */
  private pendingSince: number | undefined;
  private busy = false;
  private stopped = false;
  private readonly wakeup = new Wakeup();
  private markStopped: () => void = () => undefined;
  /** Wakes the JetStream loop waiting on its inbox (set while a feed runs). */
  private interruptFeed: () => void = () => undefined;
  /** An event failing this often (across rounds) is dead-lettered, and its stream parked behind it. */
  private readonly poison: PoisonPolicy = {
    maxAttempts: 3,
    failures: new Map(),
    onDeadLetter: (event, error) =>
      this.deps.logger.error({ projection: this.name, position: event.globalPosition.toString(), streamId: event.streamId, error }, 'event dead-lettered'),
  };
  private readonly stoppedSignal = new Promise<void>((resolve) => (this.markStopped = resolve));

  private readonly batchSize: number;

  constructor(private readonly deps: ProjectionRunnerDeps) {
    this.batchSize = deps.batchSize ?? BATCH_SIZE;
  }

  get position(): bigint {
    return this.checkpoint;
  }

  /** The projection's name, or its partition's (`catalog/1of4`): its checkpoint row, consumer and metrics label. */
  get name(): string {
    return checkpointNameOf(this.deps.projection.name, this.deps.partition);
  }

  stop(): void {
    this.stopped = true;
    this.markStopped();
    this.wakeup.wake();
    this.interruptFeed();
  }

  /** Reads the committed checkpoint; every feed starts here. */
  async loadCheckpoint(): Promise<void> {
    this.checkpoint = await ensureCheckpoint(this.deps.pool, this.deps.projection.name, this.deps.partition);
    this.persisted = this.checkpoint;
    this.pendingSince = undefined;
  }

  /**
   * loadCheckpoint until it succeeds (or the runner stops): a feed starts from it, and the database may be
   * restarting just then. Given up, the projection would stand still in a process that looks alive.
   */
  private async loadCheckpointPatiently(): Promise<void> {
    for (;;) {
      try {
        await this.loadCheckpoint();
        return;
      } catch (err) {
        if (this.stopped) return;
        this.deps.logger.error({ err, projection: this.name }, 'checkpoint not read; retrying');
        await this.wakeup.sleep(1_000);
      }
    }
  }

  /** Writes a checkpoint that only moved in memory (over events of no concern), and announces it. */
  async flushPending(): Promise<void> {
    if (this.pendingSince === undefined || this.busy) return;
    this.busy = true;
    try {
      const target = this.checkpoint;
      const result = await this.applyBatch([]);
      if (result.position !== target) {
        // Someone else moved the checkpoint meanwhile: take theirs.
        await this.loadCheckpoint();
        return;
      }
      this.persisted = result.position;
      this.pendingSince = undefined;
    } finally {
      this.busy = false;
    }
  }

  /** Applies events (any order, duplicates allowed); fills any hole from the store first. */
  async applyEvents(events: readonly ProjectedEvent[], source: 'bus' | 'store'): Promise<void> {
    this.busy = true;
    try {
      await this.applyContiguous(events, source);
    } finally {
      this.busy = false;
    }
    // Written at most CHECKPOINT_FLUSH_MS after it moved, even while batches of no concern keep coming.
    if (this.pendingSince !== undefined && Date.now() - this.pendingSince >= CHECKPOINT_FLUSH_MS) await this.flushPending();
  }

  private async applyContiguous(events: readonly ProjectedEvent[], source: 'bus' | 'store'): Promise<void> {
    const { projection, metrics } = this.deps;
    const { events: batch, gapRepaired } = await contiguousBatch(this.deps.store, this.checkpoint, events);
    if (gapRepaired) metrics.gapsRepaired.inc({ projection: this.name });
    if (batch.length === 0) return;
    if (!batch.some((event) => mayConcern(projection, event.streamId))) {
      // Nothing here for this read model: no transaction, the checkpoint moves in memory (written later).
      this.pendingSince ??= Date.now();
      this.checkpoint = batch.at(-1)!.globalPosition;
      metrics.projectionPosition.set({ projection: this.name }, Number(this.checkpoint));
      return;
    }
    let result: BatchResult;
    try {
      result = await this.applyBatch(batch);
    } catch (error) {
      if (error instanceof PositionGap) {
        // Someone else moved the checkpoint (another runner): resync and let the next round continue.
        await this.loadCheckpoint();
        return;
      }
      // The projection's sink is down: the events are fine, so retry the batch in a later round as it is.
      if (error instanceof SinkUnavailable) throw error;
      // Something in the batch fails: go again event by event, so the rest is applied and the culprit is counted
      // (and dead-lettered once it has failed often enough).
      this.deps.logger.warn({ err: error, projection: this.name }, 'batch failed; applying it event by event');
      result = await this.applyBatch(batch, this.poison);
    }
    this.persisted = result.position;
    this.pendingSince = undefined;
    if (this.deps.logger.isLevelEnabled('debug')) this.logApplied(batch, result.position);
    this.advance(result.position, result.applied, batch.at(-1)!, source);
    if (result.deadLettered) this.deps.metrics.deadLetters.inc({ projection: this.name }, result.deadLettered);
    if (result.staleCacheKeys.length) await this.deps.invalidate(result.staleCacheKeys, result.position);
    if (result.stoppedAtFailure) throw new Error(`projection ${this.name} failed at position ${result.position + 1n}; retrying`);
  }

  /**
   * One transaction of checkpointed-batch.ts for this runner's projection (and partition). The runner vouches for
   * the events between the checkpoint as written and as it stands in memory: none of them concerned the projection.
   */
  private applyBatch(events: readonly ProjectedEvent[], poison?: PoisonPolicy): Promise<BatchResult> {
    const { pool, projection, partition } = this.deps;
    return applyCheckpointedBatch({ pool, projection, partition, events, poison, vouched: { from: this.persisted, through: this.checkpoint } });
  }

  /** Reads the store from the checkpoint until it is exhausted. */
  async catchUpFromStore(): Promise<void> {
    for (;;) {
      const events = await this.deps.store.readAll(this.checkpoint, this.batchSize);
      if (events.length === 0 || this.stopped) {
        await this.flushPending();
        return;
      }
      await this.applyEvents(events, 'store');
    }
  }

  /** Fallback feed without NATS: the store's own subscription (catch-up, then woken by each commit). */
  async runFromStore(): Promise<void> {
    await this.loadCheckpointPatiently();
    if (this.stopped) return;
    const subscription = this.deps.store.subscribeToAll({
      after: this.checkpoint,
      onEvents: (events) => this.applyEvents(events, 'store'),
      onError: (err) => this.deps.logger.error({ err, projection: this.name }, 'store feed failed; retrying'),
    });
    // A checkpoint moved over events of no concern is written soon even when no further event comes.
    const flusher = setInterval(() => {
      this.flushPending().catch((err: unknown) => this.deps.logger.warn({ err, projection: this.name }, 'checkpoint write failed; retrying'));
    }, CHECKPOINT_FLUSH_MS);
    await this.stoppedSignal;
    clearInterval(flusher);
    await subscription.stop();
    await this.flushPending().catch(() => undefined);
  }

  /**
   * Main feed: a durable JetStream pull consumer delivering continuously into an inbox; the loop applies whatever
   * has queued (up to BATCH_SIZE) as one batch and acks it only after its transaction committed. Idle, it also
   * reads the store from its checkpoint, so whatever the bus lost or never had is applied all the same.
   */
  async runFromJetStream(js: JetStreamClient, jsm: JetStreamManager, names: EventBusNames): Promise<void> {
    const { logger } = this.deps;
    await this.loadCheckpointPatiently();
    // A durable name may not contain '/': partition 1 of 4 of the catalog consumes as `<prefix>-catalog-1of4`.
    const durable = `${names.subjectPrefix}-${this.name.replace('/', '-')}`;
    while (!this.stopped) {
      // Everything, setup included, runs inside the guarded round: the bus may be down at any moment, also at
      // start; meanwhile the store catch-up keeps the projection moving.
      await this.guarded(async () => {
        await this.catchUpFromStore();
        const feed = await openBusFeed(js, jsm, names, durable, this.batchSize * 2);
        this.interruptFeed = () => feed.interrupt();
        try {
          while (!this.stopped && !feed.ended) {
            const messages = await feed.take(this.batchSize, this.pendingSince === undefined ? IDLE_CHECK_MS : CHECKPOINT_FLUSH_MS);
            if (messages.length === 0) {
              // Idle: anything the bus dropped at the very end would otherwise wait for the next event.
              if (!this.stopped) await this.catchUpFromStore();
              continue;
            }
            await this.applyTraced(messages, () => this.applyEvents(eventsOf(messages, logger), 'bus'));
            for (const message of messages) message.ack();
          }
          const { ended } = feed;
          if (ended && !this.stopped) throw new Error(`the JetStream feed ended (${ended.reason instanceof Error ? ended.reason.message : 'closed'}); starting a new one`);
        } finally {
          this.interruptFeed = () => undefined;
          await feed.close();
        }
      });
    }
  }

  private async guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (this.stopped) return;
      this.deps.logger.error({ err, projection: this.name }, 'projection round failed; retrying');
      // The bus may be the reason: follow the store meanwhile, so the projection never waits for NATS.
      await this.catchUpFromStore().catch(() => undefined);
      await this.wakeup.sleep(1_000);
    }
  }

  /**
   * With tracing on, one span per message that carries a trace context (child of the relay's publish span), open while
   * its batch is applied: the trace then runs request → append → publish → apply. Without a tracer: just `apply`.
   */
  private async applyTraced(messages: readonly JsMsg[], apply: () => Promise<void>): Promise<void> {
    const { tracer } = this.deps;
    if (!tracer) return apply();
    const spans: Span[] = [];
    for (const message of messages) {
      const traceparent = message.headers?.get(BUS_HEADERS.traceparent);
      if (!traceparent) continue;
      spans.push(
        startLinkedSpan(tracer, `apply ${this.name}`, 'consumer', traceparent, {
          'messaging.system': 'nats',
          'messaging.destination.name': message.subject,
          'labels.correlation_id': message.headers?.get(BUS_HEADERS.correlationId) ?? '',
          projection: this.name,
        }),
      );
    }
    try {
      await apply();
    } catch (error) {
      for (const span of spans) endSpan(span, error);
      throw error;
    }
    for (const span of spans) endSpan(span);
  }

  /**
   * A debug line (LOG_LEVEL=debug) per event this projection applied, with the correlation id the command gave it and
   * the trace it belongs to: the last hop of docs/observability.md's one id. Per event, so only at debug.
   */
  private logApplied(batch: readonly ProjectedEvent[], through: bigint): void {
    const { logger, projection } = this.deps;
    for (const event of batch) {
      if (event.globalPosition > through || !mayConcern(projection, event.streamId)) continue;
      const traceId = traceIdOf(event.metadata.traceparent);
      logger.debug(
        {
          'labels.correlation_id': event.metadata.correlationId,
          'event.id': event.eventId,
          'event.action': event.type,
          'event.sequence': Number(event.globalPosition),
          projection: this.name,
          ...(traceId === undefined ? {} : { 'trace.id': traceId }),
        },
        'event applied',
      );
    }
  }

  private advance(position: bigint, applied: number, last: ProjectedEvent, source: 'bus' | 'store'): void {
    const { metrics } = this.deps;
    this.checkpoint = position;
    metrics.projectionPosition.set({ projection: this.name }, Number(position));
    metrics.eventsApplied.inc({ projection: this.name, source }, applied);
    metrics.batchSize.observe({ projection: this.name }, applied);
    metrics.projectionAppliedEventAge.set({ projection: this.name }, (Date.now() - last.recordedAt.getTime()) / 1_000);
  }
}
