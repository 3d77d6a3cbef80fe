import { describe, expect, it } from '@jest/globals';
import { failureProblem, isDatabaseUnavailable } from './problem.js';

const withCode = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['admin shutdown (a restart)', withCode('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', withCode('57P02')],
    ['cannot connect now (starting up)', withCode('57P03', 'the database system is starting up')],
    ['connection failure', withCode('08006')],
    ['too many connections', withCode('53300')],
    ['a refused socket', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset socket', withCode('ECONNRESET')],
    ['a connection ended under a query', new Error('Connection terminated unexpectedly')],
    ['a dead connection used again', new Error('Client has encountered a connection error and is not queryable')],
    ['the pool timing out a connect', new Error('timeout exceeded when trying to connect')],
  ])('is true for %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(failureProblem(error)).toMatchObject({ status: 503, code: 'unavailable', headers: { 'Retry-After': '1' } });
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ["the store's version conflict", withCode('SH409')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error', 'Connection terminated'],
    ['nothing', undefined],
  ])('is false for %s (a 500)', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(failureProblem(error)).toMatchObject({ status: 500, code: 'internal_error' });
  });
});
