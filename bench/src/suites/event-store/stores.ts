import { randomUUID } from 'node:crypto';
import { dumbo } from '@event-driven-io/dumbo';
import type { Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import { applySchema, createPool, PostgresEventStore, type NewEvent } from '@shop/kernel';
import type pg from 'pg';
import type { BenchStore } from './workload.js';

export type StoreName = 'shop' | 'emmett';

/** The same payload for both stores: a 100-character string and a counter, with our metadata shape. */
const benchData = (i: number) => ({ i, payload: 'x'.repeat(100) });
const benchMetadata = () => {
  const correlationId = randomUUID();
  return { correlationId, causationId: correlationId, actor: { system: 'bench' } };
};

const openPool = (databaseUrl: string, poolSize: number): pg.Pool =>
  createPool(databaseUrl, { max: poolSize, applicationName: 'shop-bench' });

/** Our PostgresEventStore on a fresh database: applies the schema (the migration runner), then appends through group commit. */
export async function openShopStore(databaseUrl: string, poolSize: number): Promise<BenchStore> {
  const pool = openPool(databaseUrl, poolSize);
  await applySchema(pool);
  const store = new PostgresEventStore(pool);
  return {
    async append(streamId, version, i) {
      const event: NewEvent = { eventId: randomUUID(), type: 'BenchEvent', schemaVersion: 1, data: benchData(i), metadata: benchMetadata() };
      const result = await store.appendToStream(streamId, version === 0 ? 'no_stream' : BigInt(version), [event]);
      if (result.nextVersion !== BigInt(version + 1)) throw new Error(`${streamId}: next version ${result.nextVersion}, expected ${version + 1}`);
    },
    async readStream(streamId) {
      return (await store.readStream(streamId)).length;
    },
    async readAll(batchSize) {
      let after = 0n;
      const positions: bigint[] = [];
      for (;;) {
        const batch = await store.readAll(after, batchSize);
        for (const event of batch) positions.push(event.globalPosition);
        if (batch.length < batchSize) return positions;
        after = batch.at(-1)!.globalPosition;
      }
    },
    close: () => pool.end(),
  };
}

type BenchEvent = Event<'BenchEvent', ReturnType<typeof benchData>, ReturnType<typeof benchMetadata>>;

/**
 * Emmett's PostgreSQL event store on a fresh database, on a pg pool of the same size as ours (its
 * `connectionOptions: { pool }`); its own schema is created before anything is measured.
 */
export async function openEmmettStore(databaseUrl: string, poolSize: number): Promise<BenchStore> {
  const pool = openPool(databaseUrl, poolSize);
  const store = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool } });
  await store.schema.migrate();
  // The global read goes through Emmett's own batch reader, on a dumbo executor over the same pool.
  const executor = dumbo({ connectionString: databaseUrl, pool });
  return {
    async append(streamId, version, i) {
      const event: BenchEvent = { type: 'BenchEvent', data: benchData(i), metadata: benchMetadata() };
      // 0n, not STREAM_DOES_NOT_EXIST: Emmett turns the latter into "no check" (a null expected position).
      const result = await store.appendToStream<BenchEvent>(streamId, [event], { expectedStreamVersion: BigInt(version) });
      if (result.nextExpectedStreamVersion !== BigInt(version + 1)) {
        throw new Error(`${streamId}: next version ${result.nextExpectedStreamVersion}, expected ${version + 1}`);
      }
    },
    async readStream(streamId) {
      return (await store.readStream<BenchEvent>(streamId)).events.length;
    },
    async readAll(batchSize) {
      // The way Emmett's own batch puller walks the log: `after` = the batch's currentGlobalPosition.
      let after = 0n;
      const positions: bigint[] = [];
      for (;;) {
        const batch = await readMessagesBatch<BenchEvent>(executor.execute, { after, batchSize });
        for (const message of batch.messages) positions.push(message.metadata.globalPosition);
        if (!batch.areMessagesLeft) return positions;
        after = batch.currentGlobalPosition;
      }
    },
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

export const openStore = (name: StoreName, databaseUrl: string, poolSize: number): Promise<BenchStore> =>
  name === 'shop' ? openShopStore(databaseUrl, poolSize) : openEmmettStore(databaseUrl, poolSize);
