import { describe, expect, it } from '@jest/globals';
import { GroupCommit } from './group-commit.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('GroupCommit', () => {
  it('writes a lone submission at once, in a batch of its own', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => n * 10);
    });
    expect(await commit.submit(1)).toBe(10);
    expect(batches).toEqual([[1]]);
  });

  it('groups submissions that arrive while a batch is being written', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      await tick();
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => commit.submit(n)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
    expect(commit.batchCount).toBe(2);
  });

  it('never puts more than the maximum batch size in one batch', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      await tick();
      return items;
    }, 3);
    await Promise.all(Array.from({ length: 8 }, (_, n) => commit.submit(n)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b)).toBe(8);
  });

  it('retries each item alone when a batch fails, so only the bad item fails', async () => {
    const commit = new GroupCommit<number, number>(async (items) => {
      await tick();
      if (items.includes(3)) throw new Error('bad item');
      return items;
    });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => commit.submit(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('never batches two items that share a key, and keeps their order', async () => {
    const batches: string[][] = [];
    const commit = new GroupCommit<string, string>(
      async (items) => {
        batches.push(items);
        await tick();
        return items;
      },
      256,
      (item) => [item.split(':')[0]!],
    );
    await Promise.all(['a:1', 'b:1', 'a:2', 'c:1', 'a:3', 'b:2'].map((item) => commit.submit(item)));
    for (const batch of batches) expect(new Set(batch.map((i) => i.split(':')[0])).size).toBe(batch.length);
    const order = batches.flat();
    expect(order.filter((i) => i.startsWith('a'))).toEqual(['a:1', 'a:2', 'a:3']);
    expect(order.filter((i) => i.startsWith('b'))).toEqual(['b:1', 'b:2']);
  });
});
