import { describe, expect, it } from '@jest/globals';
import { MessageInbox } from './message-inbox.js';

describe('MessageInbox', () => {
  it('answers at once with everything queued, oldest first, up to the maximum', async () => {
    const inbox = new MessageInbox<number>();
    for (let i = 1; i <= 5; i++) inbox.push(i);
    expect(await inbox.take(3, 1_000)).toEqual([1, 2, 3]);
    expect(await inbox.take(3, 1_000)).toEqual([4, 5]);
  });

  it('waits for the first message and answers as soon as it arrives', async () => {
    const inbox = new MessageInbox<string>();
    const started = Date.now();
    setTimeout(() => inbox.push('late'), 20);
    expect(await inbox.take(10, 5_000)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers an empty batch after the idle time', async () => {
    const inbox = new MessageInbox<string>();
    expect(await inbox.take(10, 10)).toEqual([]);
  });

  it('answers an empty batch at once when interrupted', async () => {
    const inbox = new MessageInbox<string>();
    setTimeout(() => inbox.interrupt(), 5);
    const started = Date.now();
    expect(await inbox.take(10, 5_000)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
