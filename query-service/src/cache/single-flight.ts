/**
 * Coalesces concurrent work per key: while one caller's `work` for a key runs, every other caller for that key
 * gets the same promise. A stampede of misses for one hot key therefore costs one database read per process.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /**
   * `holdUntil` keeps the flight joinable after `work` settled, until the value is where latecomers will find it
   * (the cache write acknowledged) and one more turn of the event loop has passed: a caller whose cache read was
   * sent before that write (and so missed) has by then reached this map and joined, instead of reading again.
   */
  run(key: string, work: () => Promise<T>, holdUntil?: (value: T) => Promise<unknown>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = work();
    this.inFlight.set(key, started);
    const release = (): void => {
      setImmediate(() => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      });
    };
    started.then((value) => holdUntil?.(value)).then(release, release);
    return started;
  }

  get size(): number {
    return this.inFlight.size;
  }
}
