import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { checkAnchor, EMPTY_LOG_DIGEST, positionRanges, runInOrder } from './postgres-hash-chain.js';

const ranges = (through: bigint, batchSize: number, cut?: bigint): Array<[bigint, bigint]> =>
  [...positionRanges(through, batchSize, cut)].map(({ after, upTo }) => [after, upTo]);

describe('positionRanges', () => {
  it('covers 1..through in order with ranges of at most batchSize, the last one short', () => {
    expect(ranges(25n, 10)).toEqual([
      [0n, 10n],
      [10n, 20n],
      [20n, 25n],
    ]);
  });

  it('yields nothing for an empty log', () => {
    expect(ranges(0n, 10)).toEqual([]);
  });

  it('ends a range at the cut (an anchor position) without otherwise changing the ranges', () => {
    expect(ranges(25n, 10, 13n)).toEqual([
      [0n, 10n],
      [10n, 13n],
      [13n, 20n],
      [20n, 25n],
    ]);
    expect(ranges(25n, 10, 20n)).toEqual(ranges(25n, 10));
    expect(ranges(25n, 10, 40n)).toEqual(ranges(25n, 10));
  });

  it('refuses a batch size below 1', () => {
    expect(() => ranges(5n, 0)).toThrow(RangeError);
  });
});

describe('runInOrder', () => {
  const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('hands results over in task order even when later tasks finish first', async () => {
    const seen: number[] = [];
    const tasks = [30, 5, 20, 1, 10].map((ms, i) => async () => {
      await delay(ms);
      return i;
    });
    await runInOrder(tasks, 3, (result) => seen.push(result));
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('never has more than `concurrency` tasks in flight, and starts tasks lazily', async () => {
    let running = 0;
    let most = 0;
    let started = 0;
    function* tasks() {
      for (let i = 0; i < 10; i++) {
        yield async () => {
          started++;
          running++;
          most = Math.max(most, running);
          await delay(2);
          running--;
        };
      }
    }
    await runInOrder(tasks(), 2, () => expect(started).toBeLessThanOrEqual(10));
    expect({ most, started }).toEqual({ most: 2, started: 10 });
  });

  it('rejects with the first failing task’s error in order, without unhandled rejections from the others', async () => {
    const tasks = [
      async () => {
        await delay(10);
        throw new Error('first');
      },
      () => Promise.reject(new Error('second')),
    ];
    await expect(runInOrder(tasks, 2, () => undefined)).rejects.toThrow('first');
  });
});

describe('checkAnchor', () => {
  it('matches a digest case-insensitively and says what the log has instead', () => {
    const digest = createHash('sha256').update('x').digest('hex');
    expect(checkAnchor({ position: 3n, digest: digest.toUpperCase() }, digest).matches).toBe(true);
    expect(checkAnchor({ position: 3n, digest }, EMPTY_LOG_DIGEST)).toEqual({ position: 3n, expected: digest, actual: EMPTY_LOG_DIGEST, matches: false });
    expect(checkAnchor({ position: 3n, digest }, undefined)).toEqual({ position: 3n, expected: digest, actual: null, matches: false });
  });
});
