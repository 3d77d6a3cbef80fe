import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newEvent } from '../testing/new-event.js';
import { orderPlaced } from '../testing/order-story.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';

/** The built CLI (`npm test` builds first), run as `npm run audit` runs it. */
const CLI = fileURLToPath(new URL('../../dist/audit/audit.cli.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('npm run audit (the built CLI against real Postgres)', () => {
  let database: TestDatabase;
  const orderId = randomUUID();

  const audit = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: database.url } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });

  beforeAll(async () => {
    database = await startTestDatabase();
    await database.store.appendToStream(`order-${orderId}`, 'no_stream', [newEvent(orderPlaced(orderId, '2025-06-01T10:00:00.000Z'))]);
    const paid = { type: 'OrderPaid', data: { orderId, method: 'card', amountCents: 2500, paidAt: '2025-06-01T10:01:00.000Z' } };
    await database.store.appendToStream(`order-${orderId}`, 1n, [newEvent(paid)]);
  });

  afterAll(async () => {
    await database.stop();
  });

  it('verifies a clean store: progress, OK, the anchor, exit 0; and accepts that anchor later', async () => {
    const run = await audit('verify');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[audit] checked 2 events through position 2 of 2');
    expect(run.stdout).toContain('OK: every hash chain holds: 2 events through position 2');
    const anchor = /anchor: (\d+:[0-9a-f]{64})/.exec(run.stdout)?.[1];
    expect(anchor).toBeDefined();
    const again = await audit('verify', '--anchor', anchor!);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/matches/);
  });

  it('prints a stream’s events, one line each, or one JSON object each with --json', async () => {
    const lines = (await audit('stream', `order-${orderId}`)).stdout.trim().split('\n');
    expect(lines.map((line) => line.split('  ').slice(0, 2))).toEqual([
      ['v1', '@1'],
      ['v2', '@2'],
    ]);
    const json = (await audit('stream', `order-${orderId}`, '--json')).stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(json.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderPaid']);
  });

  it('prints the order as it was at a version, and exits 1 for an order that did not exist then', async () => {
    const run = await audit('order', orderId, '--as-of', '1');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ asOf: '1', version: 1, order: { id: orderId, status: 'placed' } });
    expect((await audit('order', orderId, '--as-of', '2000-01-01T00:00:00Z')).code).toBe(1);
    expect((await audit('stream', `order-${randomUUID()}`)).code).toBe(1);
  });

  it('answers bad usage with the usage text and exit 2', async () => {
    for (const args of [[], ['frob'], ['order', 'nope'], ['verify', '--anchor', 'x']]) {
      const run = await audit(...args);
      expect({ args, code: run.code, usage: run.stderr.includes('Usage: npm run audit -- <command>') }).toEqual({ args, code: 2, usage: true });
    }
  });

  it('names the first broken link and exits 1 when an event was edited', async () => {
    await database.pool.query(`UPDATE events SET data = jsonb_set(data, '{method}', '"invoice"') WHERE global_position = 2`);
    try {
      const run = await audit('verify');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`first broken link: hash_mismatch at order-${orderId} version 2, global position 2`);
      expect(run.stdout).toMatch(/expected hash [0-9a-f]{64}\n {2}actual hash {3}[0-9a-f]{64}/);
    } finally {
      // Put it back, so that no other test depends on running before this one.
      await database.pool.query(`UPDATE events SET data = jsonb_set(data, '{method}', '"card"') WHERE global_position = 2`);
    }
    expect((await audit('verify')).code).toBe(0);
  });
});
