import type pg from 'pg';

/**
 * Channel on which a key's end of "in progress" is announced: its answer stored, or the key given back. The payload
 * is `completionId(userId, key)`. NOTIFY is delivered at commit, so a signal never arrives before the row says so.
 */
export const KEY_COMPLETION_CHANNEL = 'shop_idempotency';

/** The payload naming one key: the user id and the key joined by a space (a key never holds one: `KEY` pattern). */
export const completionId = (userId: string, key: string): string => `${userId} ${key}`;

/** One request's watch on a key: `next` resolves on the next signal for it (or one that came since the last call). */
export interface KeyWatch {
  /** True on a signal, false when `timeoutMs` passed first (or the listening connection failed: re-read anyway). */
  next(timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** The pooled connection that LISTENs, with a release that is safe to call twice (error and last watcher). */
type ListeningClient = pg.PoolClient & { releaseListener(): void };

interface Watcher {
  signalled: boolean;
  wake: (() => void) | undefined;
}

/**
 * Waits for other instances' keys to complete, over PostgreSQL LISTEN/NOTIFY (decision 0091). The listening
 * connection is taken from the pool only while some request waits, and given back when the last one stops: an
 * instance that never meets an in-progress key holds no connection for it, and the pool can always end.
 */
export class KeyCompletions {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private listening: Promise<ListeningClient> | undefined;
  private active = 0;

  constructor(private readonly pool: pg.Pool) {}

  /** Watches a key; resolves once LISTEN is in place, so a signal sent after this resolves is never missed. */
  async watch(id: string): Promise<KeyWatch> {
    const watcher: Watcher = { signalled: false, wake: undefined };
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(watcher);
    this.active++;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      const current = this.watchers.get(id);
      current?.delete(watcher);
      if (current?.size === 0) this.watchers.delete(id);
      this.active--;
      if (this.active === 0) this.stopListening();
    };
    try {
      await this.listen();
    } catch (error) {
      close();
      throw error;
    }
    return {
      next: (timeoutMs) =>
        new Promise<boolean>((resolve) => {
          if (watcher.signalled) {
            watcher.signalled = false;
            resolve(true);
            return;
          }
          const timer = setTimeout(() => {
            watcher.wake = undefined;
            resolve(false);
          }, Math.max(0, timeoutMs));
          watcher.wake = () => {
            clearTimeout(timer);
            watcher.wake = undefined;
            watcher.signalled = false;
            resolve(true);
          };
        }),
      close,
    };
  }

  private signal(id: string): void {
    for (const watcher of this.watchers.get(id) ?? []) {
      watcher.signalled = true;
      watcher.wake?.();
    }
  }

  /** A failed listening connection wakes everyone: each re-reads its key, and its next watch listens again. */
  private signalAll(): void {
    for (const id of this.watchers.keys()) this.signal(id);
  }

  private listen(): Promise<ListeningClient> {
    this.listening ??= (async () => {
      const client = await this.pool.connect();
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        client.release(true);
      };
      client.on('notification', (message) => {
        if (message.channel === KEY_COMPLETION_CHANNEL && message.payload) this.signal(message.payload);
      });
      client.on('error', () => {
        if (this.listening === listening) this.listening = undefined;
        release();
        this.signalAll();
      });
      try {
        await client.query(`LISTEN ${KEY_COMPLETION_CHANNEL}`);
      } catch (error) {
        release();
        throw error;
      }
      return Object.assign(client, { releaseListener: release });
    })();
    const listening = this.listening;
    listening.catch(() => {
      if (this.listening === listening) this.listening = undefined;
    });
    return listening;
  }

  /** The last watcher left: the connection goes back (destroyed, so no pooled session keeps listening). */
  private stopListening(): void {
    const listening = this.listening;
    this.listening = undefined;
    void listening?.then(
      (client) => client.releaseListener(),
      () => undefined,
    );
  }
}
