/**
 * A loop's sleep that ends early when something happens: `wake()` (a NOTIFY arrived) or `cancel()` (stop).
 * The timeout is only a safety net for a missed notification, not a polling interval anyone relies on.
 */
export class Wakeup {
  private pending: (() => void) | undefined;
  private woken = false;

  wake(): void {
    this.woken = true;
    this.pending?.();
  }

  sleep(timeoutMs: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pending = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.pending = done;
    });
  }
}
