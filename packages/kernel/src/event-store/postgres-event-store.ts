import type pg from 'pg';
import { z } from 'zod';
import {
  VersionConflict,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
} from './event-store.port.js';

const VERSION_CONFLICT_SQLSTATE = 'SH409';

export const EventMetadataSchema = z.object({
  correlationId: z.string(),
  causationId: z.string(),
  actor: z.union([z.object({ userId: z.string(), role: z.string() }), z.object({ system: z.string() })]),
});

const ConflictDetail = z.object({ expected: z.string(), actual: z.number() });

const EVENT_COLUMNS = `global_position, event_id, stream_id, stream_version, event_type, schema_version,
  data, metadata, recorded_at, encode(hash, 'hex') AS hash`;

interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: string;
  event_type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: unknown;
  recorded_at: Date;
  hash: string;
}

const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  streamVersion: BigInt(row.stream_version),
  globalPosition: BigInt(row.global_position),
  type: row.event_type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: EventMetadataSchema.parse(row.metadata),
  recordedAt: row.recorded_at,
  hash: row.hash,
});

const expectedToText = (expected: ExpectedVersion): string =>
  typeof expected === 'bigint' ? expected.toString() : expected;

const isPgError = (error: unknown): error is Error & { code: string; detail?: string } =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string';

/**
 * The default event store. One append is one call of the `append_to_stream` SQL function (init.sql):
 * one round trip, one transaction, positions dense and committed in order.
 */
export class PostgresEventStore implements EventStore {
  constructor(private readonly pool: pg.Pool) {}

  async appendToStream(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    try {
      const result = await this.pool.query<{ next_version: string; last_position: string }>({
        name: 'append_to_stream',
        text: 'SELECT next_version, last_position FROM append_to_stream($1, $2, $3)',
        values: [streamId, expectedToText(expected), JSON.stringify(events)],
      });
      const row = result.rows[0];
      if (!row) throw new Error('append_to_stream returned no row');
      return { nextVersion: BigInt(row.next_version), lastPosition: BigInt(row.last_position) };
    } catch (error) {
      if (isPgError(error) && error.code === VERSION_CONFLICT_SQLSTATE) {
        const detail = ConflictDetail.parse(JSON.parse(error.detail ?? '{}'));
        throw new VersionConflict(streamId, expected, BigInt(detail.actual));
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: { fromVersion?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>({
      name: 'read_stream',
      text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2
             ORDER BY stream_version LIMIT $3`,
      values: [streamId, (options.fromVersion ?? 1n).toString(), options.maxCount ?? null],
    });
    return result.rows.map(toRecordedEvent);
  }

  async readAll(after: bigint, maxCount: number): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>({
      name: 'read_all',
      text: `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      values: [after.toString(), maxCount],
    });
    return result.rows.map(toRecordedEvent);
  }
}
