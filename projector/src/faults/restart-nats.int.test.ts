import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'nats';
import type pg from 'pg';
import type { PostgresEventStore } from '@shop/kernel';
import { startTestDatabase, type TestDatabase } from '../testing/infrastructure.js';
import { catalogAndOracle, freePort, killHard, ProductWriter, startProjector, waitForCatalog } from '../testing/fault-harness.js';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/**
 * A NATS server of the test's own (the real nats-server binary, JetStream on disk) is killed with SIGKILL under
 * load and started again on the same store; the projector rides it out (the relay retries, the consumer resumes,
 * the store fills whatever the bus missed) and the catalog ends equal to the oracle.
 */
describe('nats-server killed with SIGKILL and restarted under load', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let nats: ChildProcess | undefined;
  let projector: ChildProcess | undefined;
  const storeDir = mkdtempSync(join(tmpdir(), 'shop-nats-'));
  let natsPort: number;

  const startNats = async (): Promise<ChildProcess> => {
    const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', storeDir], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await (await connect({ servers: `nats://127.0.0.1:${natsPort}`, timeout: 500, maxReconnectAttempts: 0 })).close();
        return child;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  beforeAll(async () => {
    database = await startTestDatabase({ poolSize: 10 });
    ({ pool, store } = database);
    natsPort = await freePort();
    nats = await startNats();
  }, 60_000);

  afterAll(async () => {
    await killHard(projector);
    await killHard(nats);
    await database.stop();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('ends with a catalog equal to the oracle', async () => {
    const writer = new ProductWriter(store);
    projector = startProjector({ PORT: String(await freePort()), DATABASE_URL: database.url, NATS_URL: `nats://127.0.0.1:${natsPort}` });
    const productIds = await writer.createProducts(50);
    for (let n = 0; n < 1_500; n++) {
      await writer.append(...writer.workloadEvent(productIds, n));
      if (n === 500 || n === 1_000) {
        await killHard(nats);
        // Appends go on while the bus is down: the store is the truth and the relay catches up later.
        for (let m = 0; m < 100; m++) await writer.append(...writer.workloadEvent(productIds, n * 10 + m));
        nats = await startNats();
      }
    }
    await waitForCatalog(pool, 90_000);
    const { actual, expected } = await catalogAndOracle(pool, store, writer.versions);
    expect(actual).toEqual(expected);
  }, 180_000);
});
