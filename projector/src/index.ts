// The projector's parts, for tools that drive them directly (the benchmarks); the process itself is main.ts.
export { createProjectorMetrics } from './metrics.js';
export { PROJECTIONS, type RebuildableProjection } from './projections/index.js';
export { ProjectionRunner } from './runner/projection-runner.js';
export { rebuildProjection } from './runner/rebuild.js';
export { busConsumerConfig } from './runner/event-feed.js';
export { Relay } from './relay/relay.js';
export { salesProjection, salesProjectionInto } from './projections/sales/sales.projection.js';
export { analyticsProjection } from './projections/analytics/analytics.projection.js';
export { SalesIndexWriter, DEFAULT_BULK_POLICY, type BulkPolicy } from './projections/analytics/sales-index-writer.js';
