import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NewEvent } from '@shop/kernel';
import type { Role } from '@shop/service-kit';
import { openApiSchemaProblems } from '@shop/testing';
import { serveAudit, TEST_TOKENS, type RunningQueryApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';

const STREAMS = 30;
const PER_STREAM = 100;
const TOTAL = STREAMS * PER_STREAM;
const metadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: { userId: randomUUID(), role: 'admin' } };

interface Export {
  status: number;
  contentType: string | null;
  accelBuffering: string | null;
  body: string;
}

describe('GET /api/audit/events.ndjson (real Postgres, over HTTP, a few thousand events)', () => {
  let database: TestDatabase;
  let app: RunningQueryApp;

  const auth = async (role: Role = 'auditor'): Promise<Record<string, string>> => ({ authorization: `Bearer ${await TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role })}` });
  async function exportOf(query: string, role: Role | null = 'auditor'): Promise<Export> {
    const response = await fetch(`${app.base}/api/audit/events.ndjson${query}`, { headers: role ? await auth(role) : {} });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      accelBuffering: response.headers.get('x-accel-buffering'),
      body: await response.text(),
    };
  }
  const lines = (body: string): Array<Record<string, unknown>> =>
    body
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const positions = (body: string): number[] => lines(body).map((event) => Number(event.globalPosition));
  const range = (from: number, through: number): number[] => Array.from({ length: through - from + 1 }, (_, i) => from + i);

  beforeAll(async () => {
    database = await startTestDatabase({ poolSize: 6 });
    for (let s = 0; s < STREAMS; s++) {
      const events = Array.from(
        { length: PER_STREAM },
        (_, i): NewEvent => ({ eventId: randomUUID(), type: 'StockReceived', schemaVersion: 1, data: { stream: s, n: i + 1, note: 'ü €' }, metadata }),
      );
      await database.store.appendToStream(`product-${randomUUID()}`, 'no_stream', events);
    }
    // Small batches, so that the export spans many reads (and a batch boundary falls inside every range below).
    app = await serveAudit(database, { store: database.store, exportBatchSize: 256 });
  });

  afterAll(async () => {
    await app.stop();
    await database.stop();
  });

  it('streams the whole log as NDJSON: every event once, in global order, exactly as the paged audit read shows it', async () => {
    const answer = await exportOf('');
    expect({ status: answer.status, contentType: answer.contentType, buffering: answer.accelBuffering }).toEqual({
      status: 200,
      contentType: 'application/x-ndjson',
      buffering: 'no',
    });
    expect(answer.body.endsWith('\n')).toBe(true);
    expect(positions(answer.body)).toEqual(range(1, TOTAL));

    const paged: unknown[] = [];
    for (let after = 0; after < TOTAL; after += 1000) {
      const page = await fetch(`${app.base}/api/audit/events?after=${after}&limit=1000`, { headers: await auth() });
      paged.push(...((await page.json()) as { items: unknown[] }).items);
    }
    const exported = lines(answer.body);
    expect(exported).toEqual(paged);
    for (const event of [exported[0], exported[1500], exported.at(-1)]) expect(openApiSchemaProblems('AuditEvent', event)).toEqual([]);
  });

  it('exports exactly the events after `after` through `to`', async () => {
    const answer = await exportOf('?after=1000&to=1513');
    expect(answer.status).toBe(200);
    expect(positions(answer.body)).toEqual(range(1001, 1513));
    expect(positions((await exportOf('?after=2990')).body)).toEqual(range(2991, TOTAL));
    expect(positions((await exportOf('?to=3')).body)).toEqual([1, 2, 3]);
  });

  it('caps `to` at the store head, and answers an empty body for an empty range', async () => {
    expect(positions((await exportOf(`?after=${TOTAL - 2}&to=99999999`)).body)).toEqual([TOTAL - 1, TOTAL]);
    const empty = await exportOf(`?after=${TOTAL}`);
    expect({ status: empty.status, body: empty.body }).toEqual({ status: 200, body: '' });
    expect((await exportOf('?after=5&to=5')).body).toBe('');
  });

  it('goes on serving after a client hangs up in the middle of an export', async () => {
    const headers = await auth();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${app.base}/api/audit/events.ndjson`, { headers }, (response) => {
        response.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => ((error as { code?: string }).code === 'ECONNRESET' ? undefined : reject(error)));
      req.end();
    });
    expect(positions((await exportOf('?after=100&to=200')).body)).toEqual(range(101, 200));
  });

  it.each([
    ['a `to` below `after`', '?after=10&to=9', 'invalid_range'],
    ['a negative after', '?after=-1', 'validation_failed'],
    ['a non-numeric to', '?to=end', 'validation_failed'],
    ['a fractional to', '?to=1.5', 'validation_failed'],
    ['an after beyond int8', '?after=9223372036854775807', 'validation_failed'],
    ['an unknown parameter', '?limit=5', 'validation_failed'],
    ['a repeated parameter', '?to=1&to=2', 'validation_failed'],
  ])('answers 400 problem+json for %s', async (_what, query, code) => {
    const answer = await exportOf(query);
    expect({ status: answer.status, contentType: answer.contentType, code: (JSON.parse(answer.body) as { code: string }).code }).toEqual({
      status: 400,
      contentType: 'application/problem+json; charset=utf-8',
      code,
    });
  });

  it('answers 401 without a token and 403 to every role but auditor', async () => {
    expect((await exportOf('', null)).status).toBe(401);
    for (const role of ['shopper', 'admin', 'analyst'] as const) expect({ role, status: (await exportOf('', role)).status }).toEqual({ role, status: 403 });
  });
});
