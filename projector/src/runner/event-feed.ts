import { AckPolicy, DeliverPolicy, nanos, type JetStreamClient, type JetStreamManager, type JsMsg } from 'nats';
import { allEventsSubject, decodeIntegrationEvent, type EventBusNames, type EventStore, type ProjectedEvent } from '@shop/kernel';
import type { Logger } from '@shop/service-kit';
import { MessageInbox } from './message-inbox.js';

/**
 * The feed: how events reach a runner, and how what arrives is made into a batch the checkpoint can take. The bus
 * (JetStream) is the fast path; the store is the truth: whatever the bus loses, duplicates or reorders is repaired
 * here by reading the store by global position, so the read model is exact.
 */

/** Unacked messages are redelivered after this; duplicates are ignored by the checkpoint. */
const ACK_WAIT_MS = 30_000;
/** Back-pressure: the server stops delivering to this consumer while this many messages await their ack. */
const MAX_ACK_PENDING = 10_000;

/** The events after `checkpoint`, each once, in global order. */
export function freshEvents(events: readonly ProjectedEvent[], checkpoint: bigint): ProjectedEvent[] {
  const byPosition = new Map<bigint, ProjectedEvent>();
  for (const event of events) if (event.globalPosition > checkpoint) byPosition.set(event.globalPosition, event);
  return [...byPosition.values()].sort((a, b) => (a.globalPosition < b.globalPosition ? -1 : 1));
}

/** Whether sorted events continue `checkpoint` without a hole (positions are dense in the store). */
export const isContiguousFrom = (checkpoint: bigint, sorted: readonly ProjectedEvent[]): boolean =>
  sorted.every((event, index) => event.globalPosition === checkpoint + BigInt(index) + 1n);

/**
 * The next batch after `checkpoint` from what was delivered (any order, duplicates allowed): the fresh events when
 * they continue the checkpoint, else the whole range up to the last of them read from the store (the bus skipped
 * something: a lost message, a NATS restart, a competing consumer). Empty when nothing delivered is new.
 */
export async function contiguousBatch(
  store: EventStore,
  checkpoint: bigint,
  delivered: readonly ProjectedEvent[],
): Promise<{ events: readonly ProjectedEvent[]; gapRepaired: boolean }> {
  const fresh = freshEvents(delivered, checkpoint);
  if (fresh.length === 0 || isContiguousFrom(checkpoint, fresh)) return { events: fresh, gapRepaired: false };
  return { events: await store.readAll(checkpoint, Number(fresh.at(-1)!.globalPosition - checkpoint)), gapRepaired: true };
}

/** The events in bus messages; a message that is not a V1 integration event is logged and left for the store to fill. */
export function eventsOf(messages: readonly JsMsg[], logger: Logger): ProjectedEvent[] {
  return messages.flatMap((message) => {
    const event = decodeIntegrationEvent(message.json());
    if (!event) logger.error({ subject: message.subject }, 'unparseable bus message; the store will fill the gap');
    return event ? [event] : [];
  });
}

/**
 * A durable JetStream pull consumer (created if missing) delivering continuously into an inbox: while a batch is
 * being applied the next messages queue, so batches form by themselves. `ended` is set once the server or the
 * connection closes the feed; `take` then answers at once.
 */
export interface BusFeed {
  take(max: number, idleMs: number): Promise<JsMsg[]>;
  readonly ended: { reason: unknown } | undefined;
  /** Wakes a waiting `take` (on stop). */
  interrupt(): void;
  close(): Promise<void>;
}

/** The durable pull consumer a runner reads the bus through (the benchmark's bus floor uses the same). */
export const busConsumerConfig = (names: EventBusNames, durable: string) => ({
  durable_name: durable,
  ack_policy: AckPolicy.Explicit,
  ack_wait: nanos(ACK_WAIT_MS),
  max_deliver: -1,
  max_ack_pending: MAX_ACK_PENDING,
  deliver_policy: DeliverPolicy.All,
  filter_subject: allEventsSubject(names),
});

export async function openBusFeed(js: JetStreamClient, jsm: JetStreamManager, names: EventBusNames, durable: string, maxMessages: number): Promise<BusFeed> {
  await jsm.consumers.add(names.streamName, busConsumerConfig(names, durable));
  const consumer = await js.consumers.get(names.streamName, durable);
  const inbox = new MessageInbox<JsMsg>();
  const messages = await consumer.consume({ max_messages: maxMessages, callback: (message) => inbox.push(message) });
  let ended: { reason: unknown } | undefined;
  void messages.closed().then((reason) => {
    ended = { reason };
    inbox.interrupt();
  });
  return {
    take: (max, idleMs) => inbox.take(max, idleMs),
    get ended() {
      return ended;
    },
    interrupt: () => inbox.interrupt(),
    close: async () => {
      await messages.close().catch(() => undefined);
    },
  };
}
