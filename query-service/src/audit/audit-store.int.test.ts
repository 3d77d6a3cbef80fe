import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { PERSONAL_DATA } from '@shop/domain';
import { applySchema, createPool, PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing, PostgresEventStore, type NewEvent } from '@shop/kernel';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { SERVED_PROJECTIONS } from '../app.js';
import { ProjectionPositions } from '../read-your-writes/position-tracker.js';
import { serveQueryApp, TEST_TOKENS, testQueryDeps } from '../testing/query-test-app.js';
import { auditEventStore } from './audit-store.js';
import { StoreHead } from './store-head.js';

const MASTER_KEY = Buffer.alloc(32, 0x33);
const metadata = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };
const registered = (customerId: string, email: string, name: string): NewEvent => ({
  eventId: randomUUID(),
  type: 'CustomerRegistered',
  schemaVersion: 1,
  data: { customerId, email, name, registeredAt: '2026-01-01T00:00:00.000Z' },
  metadata,
});

describe('the audit API over encrypted personal data (real Postgres, over HTTP)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let head: StoreHead;
  let server: Server;
  let base: string;
  /** As the command service writes: its own key ring and cache. */
  let writerKeys: PostgresDataKeyRing;
  const kept = { id: randomUUID(), email: 'kept@example.com', name: 'Kept Person' };
  const erased = { id: randomUUID(), email: 'gone@example.com', name: 'Gone Person' };
  const edited = { id: randomUUID(), email: 'edited@example.com', name: 'Edited Person' };

  const auditorGet = async (path: string): Promise<{ status: number; text: string }> => {
    const token = await TEST_TOKENS.issue(pool, { userId: randomUUID(), role: 'auditor' });
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url, { max: 10 });
    await applySchema(pool);
    writerKeys = new PostgresDataKeyRing(pool, MASTER_KEY);
    const writer = new PersonalDataEventStore(new PostgresEventStore(pool), new PersonalDataCodec(writerKeys, PERSONAL_DATA));
    for (const who of [kept, erased, edited]) await writer.appendToStream(`customer-${who.id}`, 'no_stream', [registered(who.id, who.email, who.name)]);
    head = new StoreHead(pool);
    await head.start(database.url);
    const audit = { store: auditEventStore(pool, MASTER_KEY).store, head: head.tracker };
    ({ server, base } = await serveQueryApp(testQueryDeps(pool, new ProjectionPositions(pool, SERVED_PROJECTIONS), { audit })));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await head.stop();
    await pool.end();
    await database.stop();
  });

  it('shows personal fields decrypted', async () => {
    const page = await auditorGet(`/api/audit/streams/customer-${kept.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(kept.email);
    expect(page.text).toContain(kept.name);
  });

  it("shows [erased] once another process shredded the customer's key, in the stream and in the global log", async () => {
    await auditorGet(`/api/audit/streams/customer-${erased.id}`); // its key is now cached here too
    await writerKeys.shred(erased.id);
    // The audit's own cache holds keys for a second: wait for that signal rather than guess it.
    const deadline = Date.now() + 5_000;
    let page = await auditorGet(`/api/audit/streams/customer-${erased.id}`);
    while (page.text.includes(erased.email) && Date.now() < deadline) page = await auditorGet(`/api/audit/streams/customer-${erased.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('"email":"[erased]"');
    expect(page.text).not.toContain(erased.name);
    const log = await auditorGet('/api/audit/events');
    expect(log.text).not.toContain(erased.email);
    expect(log.text).toContain(kept.email);
  });

  it('shows an edited field as [unreadable], not an error page', async () => {
    // Only the owner role can do this (the event log is append-only for the services): an attacker's edit.
    await pool.query(`UPDATE events SET data = jsonb_set(data, '{email,tag}', '"AAAAAAAAAAAAAAAAAAAAAA=="') WHERE stream_id = $1`, [`customer-${edited.id}`]);
    const page = await auditorGet(`/api/audit/streams/customer-${edited.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('"email":"[unreadable]"');
    const verify = JSON.parse((await auditorGet('/api/audit/verify')).text) as { ok: boolean; firstBroken?: { streamId: string } };
    expect(verify.ok).toBe(false);
    expect(verify.firstBroken?.streamId).toBe(`customer-${edited.id}`);
  });
});
