/**
 * A loop's sleep that ends early when something happens: `wake()` (a NOTIFY arrived, or stop). A wake that comes
 * while nobody sleeps is kept, so the next sleep returns at once and no wake-up is ever lost between a read and
 * the sleep that follows it. The timeout is only a safety net, not a polling interval anyone relies on.
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
