import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { z } from 'zod';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { toNewEvent } from '../event-store/command-handler.js';
import { PostgresEventStore } from '../event-store/postgres-event-store.js';
import { createPool } from '../postgres/pool.js';
import { applySchema } from '../postgres/schema.js';
import { PostgresDataKeyRing } from './data-key-ring.js';
import { eraseSubject, type SubjectErasure } from './erase-subject.js';
import { PersonalDataCodec } from './personal-data-codec.js';
import { PersonalDataEventStore } from './personal-data-event-store.js';

/** A member who registers with an email and may be forgotten: the smallest subject of erasure. */
const MemberEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Joined'), data: z.strictObject({ memberId: z.string(), email: z.string() }) }),
  z.strictObject({ type: z.literal('Forgotten'), data: z.strictObject({ memberId: z.string() }) }),
]);
type MemberEvent = z.infer<typeof MemberEvent>;
type MemberState = 'absent' | 'joined' | 'forgotten';

const memberErasure = (memberId: string): SubjectErasure<MemberState, MemberEvent, 'forget'> => ({
  subject: memberId,
  streamId: `member-${memberId}`,
  decider: {
    initialState: 'absent',
    evolve: (_state, event) => (event.type === 'Joined' ? 'joined' : 'forgotten'),
    decide: (_command, state) => (state === 'joined' ? [{ type: 'Forgotten', data: { memberId } }] : []),
    events: MemberEvent,
    eventVersions: { Joined: 1, Forgotten: 1 },
  },
  command: 'forget',
  isErased: (state) => state === 'forgotten',
});

const metadata = { correlationId: 'test', causationId: 'test', actor: { system: 'test' } };

describe('eraseSubject (real Postgres, the personal-data codec)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let keys: PostgresDataKeyRing;
  let store: PersonalDataEventStore;

  const logins = async (memberId: string): Promise<number> =>
    (await pool.query('SELECT 1 FROM erasure_test_logins WHERE member_id = $1', [memberId])).rowCount ?? 0;
  const deleteLogin = (memberId: string) => (tx: pg.ClientBase) => tx.query('DELETE FROM erasure_test_logins WHERE member_id = $1', [memberId]);

  const join = async (): Promise<string> => {
    const memberId = randomUUID();
    await store.appendToStream(`member-${memberId}`, 'no_stream', [toNewEvent({ type: 'Joined', data: { memberId, email: 'ada@example.com' } }, 1, metadata)]);
    await pool.query('INSERT INTO erasure_test_logins (member_id) VALUES ($1)', [memberId]);
    return memberId;
  };

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url);
    await applySchema(pool);
    await pool.query('CREATE TABLE erasure_test_logins (member_id text NOT NULL)');
    keys = new PostgresDataKeyRing(pool, Buffer.alloc(32, 7));
    const codec = new PersonalDataCodec(keys, { fields: { Joined: { subject: 'memberId', paths: ['email'] } }, erasures: { Forgotten: 'memberId' }, erased: '[erased]' });
    store = new PersonalDataEventStore(new PostgresEventStore(pool), codec);
  });

  afterAll(async () => {
    await pool.end();
    await database.stop();
  });

  it('shreds the key and deletes the login together, then records the erasure once', async () => {
    const memberId = await join();

    const outcome = await eraseSubject({ pool, store, keys }, memberErasure(memberId), deleteLogin(memberId), metadata);

    expect(outcome).toMatchObject({ status: 'forgotten', lastPosition: expect.any(BigInt) });
    expect(await keys.keyForReading(memberId)).toEqual({ status: 'erased' });
    expect(await logins(memberId)).toBe(0);
    const events = await store.readStream(`member-${memberId}`);
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['Joined', { memberId, email: '[erased]' }],
      ['Forgotten', { memberId }],
    ]);
  });

  it('erases again without a second erasure event (idempotent)', async () => {
    const memberId = await join();
    await eraseSubject({ pool, store, keys }, memberErasure(memberId), deleteLogin(memberId), metadata);

    const again = await eraseSubject({ pool, store, keys }, memberErasure(memberId), deleteLogin(memberId), metadata);

    expect(again).toEqual({ status: 'forgotten', lastPosition: undefined });
    expect((await store.readStream(`member-${memberId}`)).map((event) => event.type)).toEqual(['Joined', 'Forgotten']);
  });

  it('touches nothing for a subject that never existed', async () => {
    const memberId = randomUUID();
    await pool.query('INSERT INTO erasure_test_logins (member_id) VALUES ($1)', [memberId]);

    const outcome = await eraseSubject({ pool, store, keys }, memberErasure(memberId), deleteLogin(memberId), metadata);

    expect(outcome).toEqual({ status: 'unknown' });
    expect(await logins(memberId)).toBe(1);
  });
});
