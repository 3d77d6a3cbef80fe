import { Wakeup } from '../util/wakeup.js';
import type { RecordedEvent, SubscribeOptions, Subscription } from './event-store.port.js';

/** How a store learns that new events may have committed: it calls `wake`; the answer stops listening. */
export type WakeSource = (wake: () => void, onError: (error: unknown) => void) => Promise<() => Promise<void>>;

/** Safety net for a lost wake-up; never the way events are normally found. */
const CAUGHT_UP_TIMEOUT_MS = 5_000;
const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * Catch-up, then live, on one path: read the global log in batches from the last delivered position; when caught
 * up, sleep until `wakeSource` reports a commit. The next batch waits for the handler (back-pressure); a failed
 * read or handler is retried from the same position after a pause. Every adapter's `subscribeToAll` is this loop
 * plus its own wake source (Postgres LISTEN/NOTIFY, KurrentDB's live subscription, in-memory listeners).
 */
export function catchUpSubscription(
  options: SubscribeOptions,
  readAll: (after: bigint, maxCount: number) => Promise<RecordedEvent[]>,
  wakeSource: WakeSource,
): Subscription {
  const wakeup = new Wakeup();
  let stopped = false;
  const onError = (error: unknown): void => {
    if (!stopped) options.onError?.(error);
  };

  const run = async (): Promise<void> => {
    // Listening starts before the first read, so an event committed after that read still wakes the loop.
    const stopListening = await wakeSource(() => wakeup.wake(), onError);
    let position = options.after;
    try {
      while (!stopped) {
        try {
          const events = await readAll(position, options.batchSize ?? 500);
          if (events.length > 0) {
            await options.onEvents(events);
            position = events.at(-1)!.globalPosition;
            continue;
          }
        } catch (error) {
          onError(error);
          await wakeup.sleep(RETRY_AFTER_FAILURE_MS);
          continue;
        }
        if (!stopped) await wakeup.sleep(CAUGHT_UP_TIMEOUT_MS);
      }
    } finally {
      await stopListening();
    }
  };
  const running = run().catch(onError);
  return {
    async stop() {
      stopped = true;
      wakeup.wake();
      await running;
    },
  };
}
