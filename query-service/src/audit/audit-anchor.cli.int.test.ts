import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { applySchema, createPool, PostgresEventStore, referenceEventHashSql, type NewEvent } from '@shop/kernel';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { anchorKeyId, parseAnchorKey } from './signed-anchor.js';

/** The built CLI (`npm test` builds first), run as `npm run audit` runs it. */
const CLI = fileURLToPath(new URL('../../dist/audit/audit.cli.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const metadata = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };
const event = (data: Record<string, unknown>): NewEvent => ({ eventId: randomUUID(), type: 'StockReceived', schemaVersion: 1, data, metadata });

describe('npm run audit -- keygen | anchor --sign | verify --anchor --public-key | export (built CLI, real Postgres)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let dir: string;
  /** A stream of one event, below every anchor taken here: the forger's target. */
  const lone = `product-${randomUUID()}`;

  const audit = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: database.url }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  const file = (name: string): string => join(dir, name);
  const storeHead = async (): Promise<number> => Number((await pool.query<{ n: string }>('SELECT max(global_position)::text AS n FROM events')).rows[0]!.n);

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url);
    await applySchema(pool);
    store = new PostgresEventStore(pool);
    await store.appendToStream(lone, 'no_stream', [event({ quantity: 5 })]);
    for (let s = 0; s < 4; s++) await store.appendToStream(`product-${randomUUID()}`, 'no_stream', Array.from({ length: 500 }, (_, n) => event({ s, n })));
    dir = await mkdtemp(join(tmpdir(), 'audit-anchor-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await pool.end();
    await database.stop();
  });

  describe('keygen', () => {
    it('writes the private key with mode 0600 and the public key, and prints the key id', async () => {
      const run = await audit('keygen', '--out', file('auditor'));
      expect(run.code).toBe(0);
      expect((await stat(file('auditor.key'))).mode & 0o777).toBe(0o600);
      const privateKey = parseAnchorKey(await readFile(file('auditor.key'), 'utf8'), 'private');
      const publicKey = parseAnchorKey(await readFile(file('auditor.pub'), 'utf8'), 'public');
      expect(anchorKeyId(privateKey)).toBe(anchorKeyId(publicKey));
      expect(run.stdout).toContain(`key id:      ${anchorKeyId(publicKey)}\n`);
    });

    it('never overwrites a key: exit 1, the files unchanged', async () => {
      expect((await audit('keygen', '--out', file('twice'))).code).toBe(0);
      const before = await readFile(file('twice.key'), 'utf8');
      const run = await audit('keygen', '--out', file('twice'));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('never overwrites');
      expect(await readFile(file('twice.key'), 'utf8')).toBe(before);
    });
  });

  describe('anchor --sign, then verify --anchor --public-key', () => {
    beforeAll(async () => {
      await audit('keygen', '--out', file('signer'));
      await audit('keygen', '--out', file('other'));
      const signed = await audit('anchor', '--sign', file('signer.key'), '--out', file('anchor.json'));
      expect({ code: signed.code, stderr: signed.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('signed anchor 2001:') });
    });

    it('writes a signed anchor document of the whole log: position, digest, time, key id, signature', async () => {
      const document = JSON.parse(await readFile(file('anchor.json'), 'utf8')) as Record<string, unknown>;
      const keyId = anchorKeyId(parseAnchorKey(await readFile(file('signer.pub'), 'utf8'), 'public'));
      expect(document).toEqual({
        type: 'shop-audit-anchor',
        version: 1,
        position: '2001',
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        algorithm: 'Ed25519',
        keyId,
        signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
      });
      // The same digest a plain verification prints.
      expect((await audit('verify')).stdout).toContain(`anchor: 2001:${document.digest as string}`);
    });

    it('prints the signed document on stdout without --out, and the plain anchor without --sign', async () => {
      const signed = await audit('anchor', '--sign', file('signer.key'));
      expect(JSON.parse(signed.stdout)).toMatchObject({ position: '2001' });
      expect(signed.stderr).toContain('[audit] checked 2,001 events');
      const plain = await audit('anchor');
      expect(plain.stdout.trim()).toMatch(/^2001:[0-9a-f]{64}$/);
    });

    it('accepts the anchor with the matching public key, then checks the log against it: exit 0', async () => {
      const run = await audit('verify', '--anchor', file('anchor.json'), '--public-key', file('signer.pub'));
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^signature valid: anchor 2001:[0-9a-f]{64}, signed \S+ by key \S+\n/);
      expect(run.stdout).toContain('anchor 2001:');
      expect(run.stdout).toContain('matches');
    });

    it('refuses an anchor document whose digest was altered: exit 1, BAD SIGNATURE, the log not checked', async () => {
      const document = JSON.parse(await readFile(file('anchor.json'), 'utf8')) as { digest: string };
      await writeFile(file('tampered.json'), JSON.stringify({ ...document, digest: `${document.digest.slice(0, 63)}${document.digest.endsWith('0') ? '1' : '0'}` }));
      const run = await audit('verify', '--anchor', file('tampered.json'), '--public-key', file('signer.pub'));
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('BAD SIGNATURE');
      expect(run.stdout).not.toContain('[audit] checked');
    });

    it('refuses the anchor under another auditor’s public key: exit 1, WRONG KEY', async () => {
      const run = await audit('verify', '--anchor', file('anchor.json'), '--public-key', file('other.pub'));
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('WRONG KEY');
    });

    it('answers exit 2 for a key file that cannot be read or is no Ed25519 key, and for --public-key without --anchor', async () => {
      expect((await audit('verify', '--anchor', file('anchor.json'), '--public-key', file('missing.pub'))).code).toBe(2);
      expect((await audit('verify', '--anchor', file('anchor.json'), '--public-key', file('anchor.json'))).code).toBe(2);
      expect((await audit('anchor', '--sign', file('signer.pub'))).code).toBe(2);
      expect((await audit('verify', '--public-key', file('signer.pub'))).code).toBe(2);
    });

    it('still accepts the anchor after the log has grown', async () => {
      await store.appendToStream(`product-${randomUUID()}`, 'no_stream', [event({ late: true })]);
      const run = await audit('verify', '--anchor', file('anchor.json'), '--public-key', file('signer.pub'));
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`OK: every hash chain holds: ${(await storeHead()).toLocaleString('en-US')} events`);
    });

    it('finds a log rewritten with recomputed hashes, which the chains alone do not: exit 1, ANCHOR MISMATCH', async () => {
      // A forger with the owner role rewrites an event below the anchor and recomputes its hash and its stream head,
      // so that every chain holds again; only the signed anchor still remembers the hash the event had.
      const zero = "decode(repeat('00', 32), 'hex')";
      const { rows } = await pool.query<{ data: unknown; hash: Buffer }>('SELECT data, hash FROM events WHERE stream_id = $1', [lone]);
      const original = rows[0]!;
      try {
        await pool.query(`UPDATE events e SET data = jsonb_set(e.data, '{quantity}', '500') WHERE stream_id = $1`, [lone]);
        await pool.query(`UPDATE events e SET hash = ${referenceEventHashSql(zero, 'e')} WHERE stream_id = $1`, [lone]);
        await pool.query(`UPDATE streams s SET last_hash = e.hash FROM events e WHERE s.stream_id = $1 AND e.stream_id = $1`, [lone]);
        expect((await audit('verify')).code).toBe(0);
        const run = await audit('verify', '--anchor', file('anchor.json'), '--public-key', file('signer.pub'));
        expect(run.code).toBe(1);
        expect(run.stdout).toContain('signature valid');
        expect(run.stdout).toContain('ANCHOR MISMATCH at position 2001');
        // And a log with broken links is not anchored at all.
        await pool.query(`UPDATE events SET data = jsonb_set(data, '{quantity}', '7') WHERE stream_id = $1`, [lone]);
        const refused = await audit('anchor', '--sign', file('signer.key'), '--out', file('broken.json'));
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('not anchored');
        await expect(stat(file('broken.json'))).rejects.toThrow();
      } finally {
        // Put the event back as it was, so that no other test depends on running before this one.
        await pool.query('UPDATE events SET data = $2, hash = $3 WHERE stream_id = $1', [lone, JSON.stringify(original.data), original.hash]);
        await pool.query('UPDATE streams SET last_hash = $2 WHERE stream_id = $1', [lone, original.hash]);
      }
      expect((await audit('verify', '--anchor', file('anchor.json'), '--public-key', file('signer.pub'))).code).toBe(0);
    });
  });

  describe('export', () => {
    it('writes a range as NDJSON into a new file with a progress line on stderr, and never overwrites it', async () => {
      const run = await audit('export', '--after', '100', '--to', '1600', '--out', file('range.ndjson'));
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/\[audit\] exported 1,500 events through position 1600 of 1600 \([\d,]+ events\/s\)/);
      const lines = (await readFile(file('range.ndjson'), 'utf8')).trimEnd().split('\n');
      expect(lines.map((line) => Number((JSON.parse(line) as { globalPosition: string }).globalPosition))).toEqual(
        Array.from({ length: 1500 }, (_, i) => i + 101),
      );
      expect(JSON.parse(lines[0]!)).toMatchObject({ streamVersion: expect.any(Number), type: 'StockReceived', metadata, hash: expect.any(String) });
      expect((await audit('export', '--out', file('range.ndjson'))).code).toBe(1);
    });

    it('writes the whole log to stdout without options, lines only (progress stays on stderr)', async () => {
      const head = await storeHead();
      const run = await audit('export');
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(head);
      expect(lines.every((line) => line.startsWith('{"eventId":'))).toBe(true);
      expect(run.stderr).toContain(`exported ${head} events (after position 0 through ${head}) to stdout`);
    });

    it('answers bad usage with the usage text and exit 2 (the cases: cli/arguments.test.ts)', async () => {
      const run = await audit('export', '--after', '10', '--to', '9');
      expect({ code: run.code, usage: run.stderr.includes('export [--after <position>]') }).toEqual({ code: 2, usage: true });
    });
  });
});
