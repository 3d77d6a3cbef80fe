import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { AckPolicy, connect, StringCodec } from 'nats';
import pg from 'pg';
import { parseTestInfraConfig, testInfraConfig } from './config.js';
import {
  startTestNats,
  startTestPostgres,
  startTestRedis,
  type TestNats,
  type TestPostgres,
  type TestRedis,
} from './index.js';
import { workerDatabase } from './redis.js';

// A container's image may have to be pulled or started first.
jest.setTimeout(120_000);
const sc = StringCodec();

// Whatever a failing test leaves running is stopped here.
const started: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.allSettled(started.map((handle) => handle.stop()));
});
function track<T extends { stop(): Promise<void> }>(handle: T): T {
  started.push(handle);
  return handle;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('config', () => {
  it('has the documented defaults and rejects an unknown mode', () => {
    expect(parseTestInfraConfig({})).toEqual({
      SHOP_TEST_INFRA: 'auto',
      SHOP_TEST_POSTGRES_IMAGE: 'postgres:15',
      SHOP_TEST_REDIS_IMAGE: 'redis:7',
      SHOP_TEST_NATS_IMAGE: 'nats:2.9',
      TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      TEST_REDIS_URL: 'redis://127.0.0.1:6379',
      TEST_NATS_URL: 'nats://127.0.0.1:4222',
    });
    expect(parseTestInfraConfig({ SHOP_TEST_INFRA: '' }).SHOP_TEST_INFRA).toBe('auto');
    expect(() => parseTestInfraConfig({ SHOP_TEST_INFRA: 'docker' })).toThrow(/SHOP_TEST_INFRA/);
  });

  it('maps jest workers to Redis databases 1..15, else 0', () => {
    expect([undefined, '0', '1', '15', '16', 'x'].map(workerDatabase)).toEqual([0, 0, 1, 15, 0, 0]);
  });
});

describe('where the suites run', () => {
  /** The cluster a URL reaches, named by the database itself (one per initdb), or undefined when nothing answers. */
  const clusterOf = (url: string): Promise<string | undefined> =>
    query<{ id: string }>(url, 'SELECT system_identifier::text AS id FROM pg_control_system()').then(
      ([row]) => row?.id,
      () => undefined,
    );

  it('hands out a Postgres that is where its source says: a container is a cluster of its own, local is the local server', async () => {
    const mode = testInfraConfig().SHOP_TEST_INFRA;
    // CI names the mode (.ci/run: `containers` when Docker is up, else `local`), so this test proves where its suites ran.
    if (process.env.CI === 'true') expect(mode).not.toBe('auto');
    const db = track(await startTestPostgres());
    const local = await clusterOf(testInfraConfig().TEST_DATABASE_URL);
    const handedOut = await clusterOf(db.url);
    expect(handedOut).toBeDefined();
    const where = { source: db.source, onTheLocalServer: handedOut === local };
    if (mode === 'containers') expect(where).toEqual({ source: 'container', onTheLocalServer: false });
    else if (mode === 'local') expect(where).toEqual({ source: 'local', onTheLocalServer: true });
    else expect(where.onTheLocalServer).toBe(db.source === 'local');
  });
});

describe('startTestPostgres', () => {
  it('gives two parallel callers different databases that take real queries, and stop() removes them', async () => {
    const both = await Promise.all([startTestPostgres(), startTestPostgres()]);
    const [a, b] = both.map(track) as [TestPostgres, TestPostgres];
    expect(a.source).toBe(b.source);
    expect(a.url).not.toBe(b.url);

    for (const [db, label] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      await query(db.url, 'CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL)');
      await query(db.url, 'INSERT INTO items (label) VALUES ($1), ($2)', [label, `${label}2`]);
    }
    const rowsA = await query<{ label: string }>(a.url, 'SELECT label FROM items ORDER BY id');
    expect(rowsA.map((row) => row.label)).toEqual(['a', 'a2']);
    const [identityA] = await query<{ db: string }>(a.url, 'SELECT current_database() AS db');
    const [identityB] = await query<{ db: string }>(b.url, 'SELECT current_database() AS db');
    if (a.source === 'local') {
      expect(identityA?.db).toMatch(/^shop_test_[0-9a-f]+$/);
      expect(identityA?.db).not.toBe(identityB?.db);
    } else {
      expect(new URL(a.url).port).not.toBe(new URL(b.url).port);
      const [settings] = await query<{ fsync: string; sc: string }>(
        a.url,
        `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc`,
      );
      expect(settings).toEqual({ fsync: 'off', sc: 'off' });
    }

    await a.stop();
    await a.stop(); // idempotent
    await expect(query(a.url, 'SELECT 1')).rejects.toThrow();
    if (b.source === 'local') {
      const adminUrl = parseTestInfraConfig(process.env).TEST_DATABASE_URL;
      const left = await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [identityA?.db]);
      expect(left).toHaveLength(0);
    }
    // b is untouched by a's stop.
    expect(await query(b.url, 'SELECT count(*)::int AS n FROM items')).toEqual([{ n: 2 }]);
    await b.stop();
  });
});

describe('startTestRedis', () => {
  it('starts empty, stores and reads values', async () => {
    const handle: TestRedis = track(await startTestRedis());
    if (handle.source === 'local') {
      expect(new URL(handle.url).pathname).toBe(`/${workerDatabase(process.env.JEST_WORKER_ID)}`);
    }
    const redis = new Redis(handle.url, { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.dbsize()).toBe(0);
      await redis.set('greeting', 'hello', 'EX', 60);
      expect(await redis.get('greeting')).toBe('hello');
      expect(await redis.incr('counter')).toBe(1);
    } finally {
      redis.disconnect();
    }
    await handle.stop();
    if (handle.source === 'container') {
      const gone = new Redis(handle.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      gone.on('error', () => undefined);
      await expect(gone.connect()).rejects.toThrow();
      gone.disconnect();
    }
  });
});

describe('startTestNats', () => {
  it('runs JetStream: add a stream, publish, consume with a durable pull consumer', async () => {
    const handle: TestNats = track(await startTestNats());
    expect(handle.namespace).toMatch(/^t[0-9a-f]{12}$/);
    const ns = handle.namespace;
    const stream = `${ns}_ORDERS`;
    const subject = `${ns}.orders`;

    const nc = await connect({ servers: handle.url });
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: stream, subjects: [`${subject}.>`] });
      const js = nc.jetstream();
      for (const id of ['o-1', 'o-2', 'o-3']) {
        await js.publish(`${subject}.placed`, sc.encode(id), { msgID: id });
      }
      const duplicate = await js.publish(`${subject}.placed`, sc.encode('o-1'), { msgID: 'o-1' });
      expect(duplicate.duplicate).toBe(true);

      await jsm.consumers.add(stream, { durable_name: `${ns}_reader`, ack_policy: AckPolicy.Explicit });
      const consumer = await js.consumers.get(stream, `${ns}_reader`);
      const received: string[] = [];
      const messages = await consumer.fetch({ max_messages: 3, expires: 5_000 });
      for await (const message of messages) {
        received.push(sc.decode(message.data));
        message.ack();
      }
      expect(received).toEqual(['o-1', 'o-2', 'o-3']);
    } finally {
      await nc.close();
    }

    await handle.stop();
    if (handle.source === 'local') {
      // stop() deleted the namespace's stream on the shared server.
      const check = await connect({ servers: handle.url });
      try {
        const jsm = await check.jetstreamManager();
        await expect(jsm.streams.info(stream)).rejects.toThrow(/stream not found/);
      } finally {
        await check.close();
      }
    } else {
      await expect(connect({ servers: handle.url, reconnect: false, timeout: 1_000 })).rejects.toThrow();
    }
  });

  it('gives every handle its own namespace', async () => {
    const [a, b] = (await Promise.all([startTestNats(), startTestNats()])).map(track) as [TestNats, TestNats];
    expect(a.namespace).not.toBe(b.namespace);
    await Promise.all([a.stop(), b.stop()]);
  });
});
