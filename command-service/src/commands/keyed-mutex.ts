/**
 * In-process mutual exclusion per key. Commands on the same aggregate run one after another in this process,
 * so they never race each other into version conflicts (a flash sale on one product would otherwise spend
 * most of its time retrying). Across processes the store's expected versions still decide.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` holding every key; keys are taken in sorted order so two multi-key holders never deadlock. */
  async withKeys<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: Array<() => void> = [];
    try {
      for (const key of sorted) releases.push(await this.acquire(key));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      // The last holder cleans up, so the map only holds keys someone is waiting for.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
