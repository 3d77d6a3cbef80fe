import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger, REDACTED } from './logger.js';

const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
};

describe('the service logger', () => {
  it('censors emails, names, addresses, passwords and a PostgreSQL error’s detail wherever they sit', () => {
    const { lines, stream } = capture();
    const logger = createLogger('command-service', 'info', stream);
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "user_accounts_email_key"'), {
      code: '23505',
      detail: 'Key (email)=(ada@example.com) already exists.',
    });
    logger.error({ err: pgError, email: 'ada@example.com', body: { name: 'Ada Lovelace', password: 'hunter2-hunter2', shippingAddress: { line1: '12 Analytical Row' } } }, 'failed');
    logger.warn({ order: { address: { line1: '12 Analytical Row', city: 'London', postalCode: 'NW1 2AB' } } }, 'deep');
    const text = lines.join('');
    for (const secret of ['ada@example.com', 'Ada Lovelace', 'hunter2', 'Analytical', 'London', 'NW1 2AB']) expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
    // What is needed to act on the error stays: its code and message, and the logger's own name.
    const first = JSON.parse(lines[0]!) as { name: string; err: { code: string; message: string } };
    expect(first.name).toBe('command-service');
    expect(first.err).toMatchObject({ code: '23505', message: expect.stringContaining('user_accounts_email_key') });
  });
});
