import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { applySchema, createPool, PostgresEventStore, verifyHashChains, type HashChainVerdict, type NewEvent } from '@shop/kernel';
import type { Measurement } from '../figures.js';
import { withFreshDatabase } from '../postgres.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';

const ROUNDS = 3;
const WRITERS = 16;
/** The verifier's default: one batch in flight per core of these 2-core machines. */
const CONCURRENCY = 2;

/** Sizes: the defaults are the figure's; the overrides exist to check the suite quickly, never for figures. */
const Size = z.object({
  BENCH_AUDIT_EVENTS: z.coerce.number().int().min(1).default(100_000),
  BENCH_AUDIT_STREAMS: z.coerce.number().int().min(1).default(2_000),
});

const metadata = { correlationId: 'bench', causationId: 'bench', actor: { userId: 'bench', role: 'admin' } };

/**
 * `events` events over `streams` order-like streams, appended by 16 writers one event at a time through the store's
 * real append path, so streams interleave in the global log as they do in production (a verifier reading a
 * stream's previous event finds it far back, not next door).
 */
async function fillStore(store: PostgresEventStore, events: number, streams: number): Promise<void> {
  const ids = Array.from({ length: streams }, () => `order-${randomUUID()}`);
  const perStream = Math.ceil(events / streams);
  const event = (n: number): NewEvent => ({
    eventId: randomUUID(),
    type: n === 0 ? 'OrderPlaced' : 'OrderNoted',
    schemaVersion: 1,
    metadata,
    data: { n, note: 'an order event of a typical size, with a line or two', lines: [{ sku: `SKU-${n}`, quantity: 1 + (n % 5), unitPriceCents: 1_250 }] },
  });
  let written = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let version = 0; version < perStream; version++) {
        for (let s = writer; s < streams && written < events; s += WRITERS) {
          written++;
          await store.appendToStream(ids[s]!, version === 0 ? 'no_stream' : BigInt(version), [event(version)]);
        }
      }
    }),
  );
}

async function timedVerify(pool: ReturnType<typeof createPool>, concurrency: number): Promise<{ verdict: HashChainVerdict; rate: number }> {
  const started = performance.now();
  const verdict = await verifyHashChains(pool, { concurrency });
  return { verdict, rate: verdict.eventsChecked / ((performance.now() - started) / 1_000) };
}

export const auditSuite: Suite = {
  name: 'audit',
  description: 'hash-chain verification of the event store (100,000 events over 2,000 streams): events/s',
  run(context: SuiteContext): Promise<SuiteResult> {
    const { BENCH_AUDIT_EVENTS: events, BENCH_AUDIT_STREAMS: streams } = Size.parse(process.env);
    return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_300`, async (url) => {
      const pool = createPool(url, { max: 20 });
      try {
        await applySchema(pool);
        context.progress(`filling ${events.toLocaleString('en-US')} events over ${streams.toLocaleString('en-US')} streams (${WRITERS} writers)`);
        await fillStore(new PostgresEventStore(pool), events, streams);
        await pool.query('VACUUM ANALYZE events');
        await pool.query('VACUUM ANALYZE streams');
        const rounds: Array<{ c1: number; cN: number }> = [];
        for (let round = 1; round <= ROUNDS; round++) {
          const one = await timedVerify(pool, 1);
          const many = await timedVerify(pool, CONCURRENCY);
          for (const { verdict } of [one, many]) {
            // A verifier that finds a fault in a clean store, or skips events, is wrong however fast it is.
            if (!verdict.ok || verdict.eventsChecked !== events) {
              throw new Error(`verification of the clean store answered ok=${verdict.ok}, ${verdict.eventsChecked} events: the bench refuses to report it`);
            }
          }
          context.progress(`round ${round}/${ROUNDS}: ${Math.round(many.rate)} events/s (${CONCURRENCY} batches in flight), ${Math.round(one.rate)} events/s (1)`);
          rounds.push({ c1: one.rate, cN: many.rate });
        }
        const measurements: Measurement[] = [
          { name: 'audit.verify', unit: 'events/s', better: 'higher', ours: rounds.map((r) => r.cN) },
          { name: 'audit.verify.c1', unit: 'events/s', better: 'higher', ours: rounds.map((r) => r.c1) },
        ];
        return {
          measurements,
          notes: [
            `One fresh database: ${events.toLocaleString('en-US')} events over ${streams.toLocaleString('en-US')} streams, appended one at a time by ${WRITERS} writers (not measured; streams interleave in the global log), then VACUUM ANALYZE.`,
            `${ROUNDS} rounds of \`verifyHashChains\` over the whole store (batches of 10,000 positions, every link recomputed with event_hash, versions, positions and stream heads checked, the anchor digest taken): audit.verify with ${CONCURRENCY} batches in flight (the default), audit.verify.c1 with one.`,
            ...(events === 100_000 && streams === 2_000 ? [] : ['SIZE OVERRIDDEN by BENCH_AUDIT_EVENTS / BENCH_AUDIT_STREAMS: not the figure’s size.']),
          ],
        };
      } finally {
        await pool.end();
      }
    });
  },
};
