import { Wakeup } from '@shop/kernel';

/**
 * Messages pushed by a subscription callback, taken by one consumer loop in batches. Batches form by themselves:
 * while a batch is being applied, the next messages queue here, so a busy projection applies large batches and an
 * idle one applies each message as soon as it arrives (no fetch that waits to fill up).
 */
export class MessageInbox<T> {
  private queue: T[] = [];
  private readonly wakeup = new Wakeup();

  push(item: T): void {
    this.queue.push(item);
    this.wakeup.wake();
  }

  /** Wakes a waiting `take` with whatever is queued (maybe nothing): used on stop and when the feed ends. */
  interrupt(): void {
    this.wakeup.wake();
  }

  get size(): number {
    return this.queue.length;
  }

  /** Up to `max` queued items, oldest first; waits up to `idleMs` for the first one (then answers []). */
  async take(max: number, idleMs: number): Promise<T[]> {
    if (this.queue.length === 0) await this.wakeup.sleep(idleMs);
    const batch = this.queue.length <= max ? this.queue : this.queue.slice(0, max);
    this.queue = this.queue.length <= max ? [] : this.queue.slice(max);
    return batch;
  }
}
