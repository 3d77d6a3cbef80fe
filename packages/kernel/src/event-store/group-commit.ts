interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: while one batch is being written, new submissions queue up; the next batch takes them all,
 * so N concurrent appends cost about one transaction (and one fsync) instead of N. With nothing in flight a
 * submission is written at once, so a lone writer pays no extra latency.
 *
 * `execute` writes a batch and returns one result per item, in order. If it throws for a batch of several
 * items, each item is retried alone, so one bad item never fails the others.
 */
export class GroupCommit<I, R> {
  private queue: Array<Pending<I, R>> = [];
  private writing = false;
  private batches = 0;

  /**
   * `keysOf` names what an item touches (its streams): a batch never holds two items with a key in common, so
   * items in a batch are independent; an item that collides waits for the next batch, keeping per-key order.
   */
  constructor(
    private readonly execute: (items: I[]) => Promise<R[]>,
    private readonly maxBatchSize = 256,
    private readonly keysOf: (item: I) => readonly string[] = () => [],
  ) {}

  /** Number of batches written so far (observability and tests). */
  get batchCount(): number {
    return this.batches;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await this.write(batch);
        // Callers just answered resubmit a few microtask hops later; one macrotask turn lets them join the next
        // batch instead of splitting the writers into two half-size batches that alternate.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.writing = false;
    }
  }

  /** The next batch: queued items in order, skipping any that shares a key with one already taken. */
  private takeBatch(): Array<Pending<I, R>> {
    const taken: Array<Pending<I, R>> = [];
    const waiting: Array<Pending<I, R>> = [];
    const keys = new Set<string>();
    for (const pending of this.queue) {
      const itemKeys = this.keysOf(pending.item);
      if (taken.length >= this.maxBatchSize || itemKeys.some((key) => keys.has(key))) {
        waiting.push(pending);
        // Whatever waits blocks its keys, so a later item on the same key cannot overtake it.
        for (const key of itemKeys) keys.add(key);
        continue;
      }
      for (const key of itemKeys) keys.add(key);
      taken.push(pending);
    }
    this.queue = waiting;
    return taken;
  }

  private async write(batch: Array<Pending<I, R>>): Promise<void> {
    this.batches += 1;
    try {
      const results = await this.execute(batch.map((p) => p.item));
      batch.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const pending of batch) await this.write([pending]);
    }
  }
}
