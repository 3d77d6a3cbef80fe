import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ProjectorMetrics {
  relayPosition: Gauge;
  relayPublished: Counter;
  projectionPosition: Gauge<'projection'>;
  projectionLagEvents: Gauge<'projection'>;
  projectionLagSeconds: Gauge<'projection'>;
  projectionAppliedEventAge: Gauge<'projection'>;
  eventsApplied: Counter<'projection' | 'source'>;
  batchSize: Histogram<'projection'>;
  gapsRepaired: Counter<'projection'>;
  deadLetters: Counter<'projection'>;
}

/** How far one projection is behind the store: events not applied yet, and how long the oldest of them has waited. */
export interface ProjectionLag {
  events: number;
  seconds: number;
}

/**
 * `lagOf` is asked at scrape time (once per scrape, shared by both lag gauges), so lag is right even while nothing
 * moves, e.g. a projection stuck behind a dead letter or a crashed feed keeps growing in seconds.
 */
export function createProjectorMetrics(registry: Registry, lagOf: () => Promise<Record<string, ProjectionLag>>): ProjectorMetrics {
  let scrape: Promise<Record<string, ProjectionLag>> | undefined;
  // Both gauges are collected in one scrape: one query for them, not one each.
  const lagNow = (): Promise<Record<string, ProjectionLag>> => {
    scrape ??= lagOf().finally(() => setImmediate(() => (scrape = undefined)));
    return scrape;
  };
  const registers = [registry];
  return {
    relayPosition: new Gauge({ name: 'relay_position', help: 'Last global position the relay published', registers }),
    relayPublished: new Counter({ name: 'relay_published_total', help: 'Events published to JetStream', registers }),
    projectionPosition: new Gauge({ name: 'projection_position', help: 'Checkpoint of each projection', labelNames: ['projection'], registers }),
    projectionLagEvents: new Gauge({
      name: 'projection_lag_events',
      help: 'Store head minus projection checkpoint',
      labelNames: ['projection'],
      registers,
      async collect() {
        for (const [projection, lag] of Object.entries(await lagNow())) this.set({ projection }, lag.events);
      },
    }),
    projectionLagSeconds: new Gauge({
      name: 'projection_lag_seconds',
      help: 'How long the oldest event the projection has not applied yet has been in the store (0 when caught up)',
      labelNames: ['projection'],
      registers,
      async collect() {
        for (const [projection, lag] of Object.entries(await lagNow())) this.set({ projection }, lag.seconds);
      },
    }),
    projectionAppliedEventAge: new Gauge({
      name: 'projection_applied_event_age_seconds',
      help: 'Age of the last applied event when it was applied (the end-to-end delay of the feed)',
      labelNames: ['projection'],
      registers,
    }),
    eventsApplied: new Counter({ name: 'projection_events_applied_total', help: 'Events applied', labelNames: ['projection', 'source'], registers }),
    batchSize: new Histogram({ name: 'projection_batch_size', help: 'Events per committed batch', labelNames: ['projection'], buckets: [1, 5, 10, 50, 100, 250, 500, 1000], registers }),
    deadLetters: new Counter({ name: 'projection_dead_letters_total', help: 'Events parked in projection_dead_letters (poison events and their streams\' later events)', labelNames: ['projection'], registers }),
    gapsRepaired: new Counter({ name: 'projection_gaps_repaired_total', help: 'Batches completed from the store because the bus missed events', labelNames: ['projection'], registers }),
  };
}
