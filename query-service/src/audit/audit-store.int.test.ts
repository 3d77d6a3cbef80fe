import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PERSONAL_DATA } from '@shop/domain';
import { PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing } from '@shop/kernel';
import { newEvent } from '../testing/new-event.js';
import { serveAudit, TEST_TOKENS, type RunningQueryApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { auditEventStore } from './audit-store.js';

const MASTER_KEY = Buffer.alloc(32, 0x33);
const registered = (customerId: string, email: string, name: string) =>
  newEvent({ type: 'CustomerRegistered', data: { customerId, email, name, registeredAt: '2026-01-01T00:00:00.000Z' } });

describe('the audit API over encrypted personal data (real Postgres, over HTTP)', () => {
  let database: TestDatabase;
  let app: RunningQueryApp;
  /** As the command service writes: its own key ring and cache. */
  let writerKeys: PostgresDataKeyRing;
  const kept = { id: randomUUID(), email: 'kept@example.com', name: 'Kept Person' };
  const erased = { id: randomUUID(), email: 'gone@example.com', name: 'Gone Person' };
  const edited = { id: randomUUID(), email: 'edited@example.com', name: 'Edited Person' };

  const auditorGet = async (path: string): Promise<{ status: number; text: string }> => {
    const token = await TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role: 'auditor' });
    const response = await fetch(`${app.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    database = await startTestDatabase({ poolSize: 10 });
    writerKeys = new PostgresDataKeyRing(database.pool, MASTER_KEY);
    const writer = new PersonalDataEventStore(database.store, new PersonalDataCodec(writerKeys, PERSONAL_DATA));
    for (const who of [kept, erased, edited]) await writer.appendToStream(`customer-${who.id}`, 'no_stream', [registered(who.id, who.email, who.name)]);
    app = await serveAudit(database, { store: auditEventStore(database.pool, MASTER_KEY).store });
  });

  afterAll(async () => {
    await app.stop();
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
    await database.pool.query(`UPDATE events SET data = jsonb_set(data, '{email,tag}', '"AAAAAAAAAAAAAAAAAAAAAA=="') WHERE stream_id = $1`, [`customer-${edited.id}`]);
    const page = await auditorGet(`/api/audit/streams/customer-${edited.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('"email":"[unreadable]"');
    const verify = JSON.parse((await auditorGet('/api/audit/verify')).text) as { ok: boolean; firstBroken?: { streamId: string } };
    expect(verify.ok).toBe(false);
    expect(verify.firstBroken?.streamId).toBe(`customer-${edited.id}`);
  });
});
