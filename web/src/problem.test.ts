import { describe, expect, it } from '@jest/globals';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import { errorMessage, httpStatusOf, isNotCaughtUp } from './problem';

const problem = (status: number, body: Record<string, unknown>): FetchBaseQueryError => ({ status, data: { type: 'x', title: 'Title', status, ...body } });

describe('errorMessage', () => {
  it("uses the problem's detail, which the services write for people", () => {
    expect(errorMessage(problem(409, { code: 'out_of_stock', detail: 'Only 1 of MUG-1 available' }))).toBe('Only 1 of MUG-1 available');
  });

  it('names every offending field of a validation failure', () => {
    expect(errorMessage(problem(400, { title: 'Invalid order', code: 'validation_failed', detail: 'shippingAddress.country: An ISO 3166-1 alpha-2 country code' }))).toBe(
      'Invalid order: shippingAddress.country: An ISO 3166-1 alpha-2 country code',
    );
  });

  it('says what to do for the problems a person can act on', () => {
    expect(errorMessage(problem(412, { code: 'precondition_failed', detail: 'The resource changed since you read it; read it again' }))).toMatch(/reload/);
    expect(errorMessage(problem(503, { code: 'not_caught_up', detail: 'at 41, behind 42' }))).toMatch(/try again/);
    expect(errorMessage(problem(401, { code: 'unauthenticated', detail: 'A bearer token is required' }))).toMatch(/log in/);
  });

  it("shows a 403 with the server's words, which name the role needed", () => {
    expect(errorMessage(problem(403, { code: 'forbidden', detail: 'This action needs the role admin' }))).toBe('This action needs the role admin');
    expect(errorMessage({ status: 403, data: null })).toBe('Request failed (HTTP 403).');
  });

  it('explains failures without a problem body', () => {
    expect(errorMessage({ status: 'FETCH_ERROR', error: 'TypeError' })).toBe('Cannot reach the server.');
    expect(errorMessage({ status: 'TIMEOUT_ERROR', error: 'AbortError' })).toBe('The server took too long to answer.');
    expect(errorMessage({ status: 'PARSING_ERROR', originalStatus: 502, data: '<html>', error: 'SyntaxError' })).toMatch(/HTTP 502/);
    expect(errorMessage({ status: 'CUSTOM_ERROR', error: 'The server sent an answer this app does not understand at items.0.id.' })).toMatch(/does not understand/);
    expect(errorMessage({ message: 'boom' })).toBe('boom');
    expect(errorMessage(undefined)).toBeNull();
  });
});

describe('problem classification', () => {
  it('recognises a read that could not catch up with the Consistency-Token', () => {
    expect(isNotCaughtUp(problem(503, { code: 'not_caught_up' }))).toBe(true);
    expect(isNotCaughtUp(problem(503, { code: 'unavailable' }))).toBe(false);
    expect(isNotCaughtUp({ status: 'FETCH_ERROR', error: 'x' })).toBe(false);
  });

  it('reads the HTTP status of answers, including ones that were not JSON', () => {
    expect(httpStatusOf(problem(404, {}))).toBe(404);
    expect(httpStatusOf({ status: 'PARSING_ERROR', originalStatus: 502, data: '', error: '' })).toBe(502);
    expect(httpStatusOf({ status: 'FETCH_ERROR', error: '' })).toBeNull();
  });
});
