import { describe, expect, it } from '@jest/globals';
import { KeyedMutex } from './keyed-mutex.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe('KeyedMutex', () => {
  it('runs work on the same key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        mutex.withKeys(['a'], async () => {
          log.push(`start ${n}`);
          await tick();
          log.push(`end ${n}`);
        }),
      ),
    );
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('lets work on different keys overlap', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    await Promise.all(
      ['a', 'b'].map((key) =>
        mutex.withKeys([key], async () => {
          log.push(`start ${key}`);
          await tick();
          log.push(`end ${key}`);
        }),
      ),
    );
    expect(log.slice(0, 2).sort()).toEqual(['start a', 'start b']);
  });

  it('never deadlocks holders of overlapping key sets taken in opposite orders', async () => {
    const mutex = new KeyedMutex();
    let done = 0;
    await Promise.all([
      mutex.withKeys(['x', 'y'], async () => void (await tick(), done++)),
      mutex.withKeys(['y', 'x'], async () => void (await tick(), done++)),
    ]);
    expect(done).toBe(2);
  });

  it('releases its keys when the work throws', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.withKeys(['k'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.withKeys(['k'], () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
