import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger, ECS_VERSION, REDACTED } from './logger.js';

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
    // What is needed to act on the error stays: its code and message (as ECS error.*), and the service's name.
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first['service.name']).toBe('command-service');
    expect(first.error).toMatchObject({ type: 'Error', code: '23505', message: expect.stringContaining('user_accounts_email_key') });
  });

  it('writes Elastic Common Schema lines: @timestamp, log.level, message, service.name, event.dataset, ecs.version', () => {
    const { lines, stream } = capture();
    createLogger('projector', 'info', stream).info({ projection: 'catalog' }, 'caught up');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      'log.level': 'info',
      message: 'caught up',
      'service.name': 'projector',
      'event.dataset': 'projector.log',
      'ecs.version': ECS_VERSION,
      projection: 'catalog',
    });
    expect(new Date(line['@timestamp'] as string).toISOString()).toBe(line['@timestamp']);
    // pino's own names are gone: a document has one field per meaning.
    for (const pinoField of ['level', 'msg', 'time', 'name']) expect(line).not.toHaveProperty(pinoField);
  });

  it('names the request id and the correlation id by their ECS fields, whatever the call site called them', () => {
    const { lines, stream } = capture();
    createLogger('query-service', 'info', stream).warn({ requestId: 'req-1', correlationId: 'corr-1', err: 'database unavailable' }, 'not ready');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ 'http.request.id': 'req-1', 'labels.correlation_id': 'corr-1', error: { message: 'database unavailable' } });
    expect(line).not.toHaveProperty('requestId');
    expect(line).not.toHaveProperty('err');
  });
});
