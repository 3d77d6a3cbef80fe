import { setTimeout as sleep } from 'node:timers/promises';

export function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(errorMessage).join('; ');
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/**
 * Calls `attempt` until it resolves or `timeoutMs` has passed, `intervalMs` apart; then throws with the last error.
 * `abort` is checked between attempts: a string it returns ends the wait at once with that reason.
 */
export async function retryUntil<T>(
  what: string,
  attempt: () => Promise<T>,
  options: { timeoutMs: number; intervalMs?: number; abort?: () => Promise<string | undefined> },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      lastError = err;
    }
    const aborted = await options.abort?.();
    if (aborted !== undefined) throw new Error(`${what}: ${aborted} (last error: ${errorMessage(lastError)})`);
    if (Date.now() + intervalMs > deadline) {
      throw new Error(`${what}: not ready after ${options.timeoutMs} ms (last error: ${errorMessage(lastError)})`);
    }
    await sleep(intervalMs);
  }
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
