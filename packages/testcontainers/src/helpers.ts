import { ShopClient, shopRequests, type Currency } from '@shop/client';
import { randomUUID } from 'node:crypto';
import { connect, DeliverPolicy, type ConsumerMessages, type NatsConnection } from 'nats';
import { execRepeatable } from './exec.js';
import { routedFetch, type StartedShop } from './start-shop.js';

/** Shop's integration event on NATS (subjects `shop.events.v1.<category>.<EventType>`, stream SHOP_EVENTS). */
export interface ShopEvent {
  eventId: string;
  streamId: string;
  streamVersion: string;
  globalPosition: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

export const EVENT_STREAM = 'SHOP_EVENTS';
export const ALL_EVENTS_SUBJECT = 'shop.events.v1.>';

const clientFor = (shop: StartedShop): ShopClient => new ShopClient({ baseUrl: shop.url, fetch: routedFetch(shop.url, shop.commandUrl) });

export interface Shopper {
  email: string;
  password: string;
  customerId: string;
  /** `@shop/client` logged in as this shopper. */
  client: ShopClient;
}

/** Registers a new shopper (unique email unless given) and logs a client in as them. */
export async function createShopper(shop: StartedShop, options: { email?: string; password?: string; name?: string } = {}): Promise<Shopper> {
  const email = options.email ?? `shopper-${randomUUID()}@shop.test`;
  const password = options.password ?? `pw-${randomUUID()}`;
  const client = clientFor(shop);
  const { body } = await client.register(email, password, options.name ?? 'Test Shopper');
  await client.login(email, password);
  return { email, password, customerId: body.customerId, client };
}

export interface ProductSeed {
  sku?: string;
  name?: string;
  description?: string;
  priceCents?: number;
  /** One the contract accepts (`Currency` of @shop/client); EUR when absent. */
  currency?: Currency;
  initialStock?: number;
}

export interface SeededProduct {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  initialStock: number;
}

/**
 * Creates products as the shop's admin: `count` defaults, or the given seeds (missing fields filled in). Answers them
 * in order with the Consistency-Token of the last write (pass it to `waitForConsistency`, or read with `shop.client`,
 * which carries it already).
 */
export async function seedProducts(shop: StartedShop, seeds: number | ProductSeed[]): Promise<{ products: SeededProduct[]; consistencyToken: string }> {
  const list = typeof seeds === 'number' ? Array.from({ length: seeds }, (): ProductSeed => ({})) : seeds;
  const products: SeededProduct[] = [];
  let token = '0';
  for (const [i, seed] of list.entries()) {
    const product = {
      sku: seed.sku ?? `SKU-${randomUUID().slice(0, 8)}`,
      name: seed.name ?? `Product ${i + 1}`,
      description: seed.description ?? 'Seeded by @shop/testcontainers',
      priceCents: seed.priceCents ?? 1000 + i * 100,
      currency: seed.currency ?? 'EUR',
      initialStock: seed.initialStock ?? 100,
    };
    const answer = await shop.client.call(shopRequests.createProduct(product));
    products.push({ id: answer.body.id, ...product });
    token = answer.position ?? token;
  }
  return { products, consistencyToken: token };
}

/**
 * Waits until the read side has every event up to `token` (a write's Consistency-Token): the query service holds a
 * read that carries it (bounded) and answers the position it reflects; this asks again until that position is
 * reached or `timeoutMs` passes.
 */
export async function waitForConsistency(shop: StartedShop, token: string, timeoutMs = 30_000): Promise<void> {
  if (!/^\d{1,19}$/.test(token)) throw new Error(`not a Consistency-Token: ${JSON.stringify(token)}`);
  const deadline = Date.now() + timeoutMs;
  let last = 'none';
  while (Date.now() < deadline) {
    const response = await fetch(new URL('/api/products?limit=1', shop.url), { headers: { 'consistency-token': token } });
    await response.arrayBuffer();
    const position = response.headers.get('read-model-position');
    if (response.ok && position !== null && BigInt(position) >= BigInt(token)) return;
    last = `${response.status}, position ${position ?? 'none'}`;
  }
  throw new Error(`the read models did not reach position ${token} within ${timeoutMs} ms (last answer: ${last})`);
}

/**
 * One stored event, as the event store holds it (the audit API's view): the fields the event carries on NATS, and the
 * hash that chains it to its stream's previous event.
 */
export interface StoredEvent extends ShopEvent {
  hash: string;
}

/**
 * The event log after `fromPosition` (exclusive), oldest first, at most `limit`: read with SQL inside the Postgres
 * container (no auditor account is needed and no database port is published). Personal data stays encrypted, as
 * stored. Only committed events are seen; an append still in flight shows up on the next call.
 */
export async function readEvents(shop: StartedShop, fromPosition: string | number | bigint = 0, limit = 1000): Promise<StoredEvent[]> {
  const after = BigInt(fromPosition);
  if (after < 0n || !Number.isInteger(limit) || limit < 1) throw new Error('readEvents: fromPosition ≥ 0 and a positive integer limit');
  const postgres = shop.containers.postgres;
  if (!postgres) throw new Error('readEvents: this shop has no postgres container');
  const sql = `SELECT coalesce(json_agg(e ORDER BY e."globalPosition"), '[]') FROM (
      SELECT global_position::text AS "globalPosition", event_id AS "eventId", stream_id AS "streamId",
             stream_version::text AS "streamVersion", event_type AS "type", schema_version AS "schemaVersion", data, metadata,
             to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt", encode(hash, 'hex') AS hash
        FROM events WHERE global_position > ${after.toString()} ORDER BY global_position LIMIT ${limit}) e`;
  const result = await execRepeatable(postgres, ['psql', '-AtX', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres', '-d', 'shop', '-c', sql]);
  if (result.exitCode !== 0) throw new Error(`readEvents failed (psql exit ${result.exitCode}): ${result.output}`);
  return JSON.parse(result.stdout) as StoredEvent[];
}

export interface EventSubscription extends AsyncIterable<ShopEvent> {
  /** The next event matching `predicate` (default: any), or an error after `timeoutMs`. */
  next(predicate?: (event: ShopEvent) => boolean, timeoutMs?: number): Promise<ShopEvent>;
  close(): Promise<void>;
}

/**
 * A JetStream subscription on Shop's event stream, as an integration consumer would make one: an ordered consumer
 * (no durable state left behind) on `subject` (default every event), delivering from `fromSequence` of the stream
 * or only new events (default). Messages are parsed JSON; the stream sequence is JetStream's, not the global position.
 */
export async function subscribeToEvents(
  shop: StartedShop,
  options: { subject?: string; deliver?: 'new' | 'all' } = {},
): Promise<EventSubscription> {
  const nc: NatsConnection = await connect({ servers: shop.natsUrl, name: 'shop-testcontainers' });
  let messages: ConsumerMessages;
  try {
    const consumer = await nc.jetstream().consumers.get(EVENT_STREAM, {
      filterSubjects: options.subject ?? ALL_EVENTS_SUBJECT,
      deliver_policy: options.deliver === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
    });
    messages = await consumer.consume();
  } catch (error) {
    await nc.close();
    throw error;
  }
  const iterator = (async function* () {
    for await (const message of messages) yield message.json<ShopEvent>();
  })();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async next(predicate = () => true, timeoutMs = 15_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no matching event on ${options.subject ?? ALL_EVENTS_SUBJECT} within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const found = (async () => {
          for (;;) {
            const step = await iterator.next();
            if (step.done) throw new Error('the subscription closed');
            if (predicate(step.value)) return step.value;
          }
        })();
        return await Promise.race([found, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      messages.stop();
      await nc.close();
    },
  };
}
