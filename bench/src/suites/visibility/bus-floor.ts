import { randomUUID } from 'node:crypto';
import type { JsMsg } from 'nats';
import { connectNats, encodeIntegrationEvent, ensureEventStream, eventSubject, type EventBusNames } from '@shop/kernel';
import { busConsumerConfig } from '@shop/projector';
import { percentile } from '../../stats.js';

/**
 * The floor under e2e visibility: a bare JetStream publish → pull-consume round trip at the same rate, with what the
 * relay and the projector use and nothing else (no store, no HTTP, no projection): the same `nats` client and
 * connection settings (`connectNats`), the same stream (`ensureEventStream`), the relay's publish (an encoded
 * integration event, `msgID` = event id, a 5 s ack timeout), and the projector's consumer as its event feed sets it
 * up (projector/src/runner/event-feed.ts: durable pull consumer, explicit acks, ack_wait 30 s, max_ack_pending
 * 10,000, `consume` with max_messages = 2 × batch of 500, messages taken in batches of up to 500 and acked one by
 * one). Latency: from sending a message to the moment the consumer loop took it.
 */

const PUBLISH_TIMEOUT_MS = 5_000;
const BATCH_SIZE = 500;
const IDLE_MS = 1_000;

export interface BusFloor {
  p50: number;
  p99: number;
  sent: number;
  /** Published messages the consumer never took within the run (must be 0). */
  lost: number;
}

/** A stock receipt as the relay would publish it: the payload has the size and shape of the e2e run's. */
function receiptEvent(position: bigint) {
  const productId = randomUUID();
  const correlationId = randomUUID();
  return {
    eventId: randomUUID(),
    streamId: `product-${productId}`,
    streamVersion: 2n,
    globalPosition: position,
    type: 'StockReceived',
    schemaVersion: 1,
    data: { productId, quantity: 1, reason: 'bench delivery' },
    metadata: { correlationId, causationId: correlationId, actor: { userId: randomUUID(), role: 'admin' } },
    recordedAt: new Date(),
  };
}

/**
 * Publishes `rate` messages per second for `seconds` (paced by the clock: every tick sends every message due by then)
 * on a stream of its own, consumes them as the projector does, and answers the round-trip percentiles. The stream is
 * deleted afterwards.
 */
export async function measureBusFloor(natsUrl: string, names: EventBusNames, rate: number, seconds: number): Promise<BusFloor> {
  const nats = await connectNats(natsUrl, 'bench-bus-floor');
  const jsm = await nats.jetstreamManager();
  const js = nats.jetstream();
  try {
    await ensureEventStream(jsm, names);
    const durable = 'bench-floor';
    await jsm.consumers.add(names.streamName, busConsumerConfig(names, durable));
    const consumer = await js.consumers.get(names.streamName, durable);
    const inbox: JsMsg[] = [];
    let wake: (() => void) | undefined;
    const messages = await consumer.consume({
      max_messages: 2 * BATCH_SIZE,
      callback: (message) => {
        inbox.push(message);
        wake?.();
      },
    });

    // Stream sequence → when the message was sent; stream sequence → when the consumer loop took it.
    const dueAt = new Map<number, number>();
    const takenAt = new Map<number, number>();
    const total = rate * seconds;
    let consuming = true;
    const consumerLoop = (async () => {
      while (consuming || takenAt.size < dueAt.size) {
        if (inbox.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, IDLE_MS);
          });
          wake = undefined;
        }
        const batch = inbox.splice(0, BATCH_SIZE);
        const now = performance.now();
        for (const message of batch) {
          takenAt.set(message.seq, now);
          message.ack();
        }
        if (!consuming && batch.length === 0) break;
      }
    })();

    const publishes: Array<Promise<void>> = [];
    const started = performance.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1_000) + 1);
      while (sent < due) {
        // Stamped as the e2e run stamps its commands: the moment it is sent.
        const sentAt = performance.now();
        const event = receiptEvent(BigInt(++sent));
        publishes.push(
          js
            .publish(eventSubject(names, event), encodeIntegrationEvent(event), { msgID: event.eventId, timeout: PUBLISH_TIMEOUT_MS })
            .then((ack) => void dueAt.set(ack.seq, sentAt)),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(publishes);
    // Every published message is taken within a second here; the loop ends once all are, or after an idle round.
    const deadline = performance.now() + 5_000;
    while (takenAt.size < dueAt.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    consuming = false;
    wake?.();
    await consumerLoop;
    await messages.close().catch(() => undefined);

    const latencies: number[] = [];
    for (const [seq, due] of dueAt) {
      const taken = takenAt.get(seq);
      if (taken !== undefined) latencies.push(taken - due);
    }
    if (latencies.length === 0) throw new Error('the bus floor took no message back');
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), sent, lost: dueAt.size - latencies.length };
  } finally {
    await jsm.streams.delete(names.streamName).catch(() => undefined);
    await nats.close();
  }
}
