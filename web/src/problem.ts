import type { SerializedError } from '@reduxjs/toolkit';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { Problem } from '@shop/client';

export type ApiError = FetchBaseQueryError | SerializedError;

/** The RFC 9457 body of an HTTP error answer, if the error is one. */
export function problemOf(error: ApiError | undefined): Problem | null {
  if (!error || !('status' in error) || typeof error.status !== 'number') return null;
  const data = error.data;
  return typeof data === 'object' && data !== null ? data : { status: error.status };
}

/** The HTTP status of an error answer; null for network failures, timeouts and client-side errors. */
export function httpStatusOf(error: ApiError | undefined): number | null {
  if (!error || !('status' in error)) return null;
  if (typeof error.status === 'number') return error.status;
  return error.status === 'PARSING_ERROR' ? error.originalStatus : null;
}

/** Problems people can act on get a sentence of ours; the rest use the server's own words. */
const SENTENCES: Partial<Record<string, string>> = {
  unauthenticated: 'Please log in (again) to do this.',
  forbidden: 'Your role may not do this.',
  not_caught_up: 'The shop is still catching up with your last change; try again in a moment.',
  precondition_failed: 'This was changed by someone else since you read it: reload to see the current version.',
  idempotency_request_in_progress: 'Your earlier attempt is still being processed; try again in a moment.',
  rate_limited: 'Too many requests: wait a moment and try again.',
};

/** A human-readable message for an RTK Query error, preferring the RFC 9457 `detail`, then `title`. */
export function errorMessage(error: ApiError | undefined): string | null {
  if (!error) return null;
  if (!('status' in error)) return error.message ?? 'Something went wrong.';
  switch (error.status) {
    case 'FETCH_ERROR':
      return 'Cannot reach the server.';
    case 'TIMEOUT_ERROR':
      return 'The server took too long to answer.';
    case 'CUSTOM_ERROR':
      return error.error;
    case 'PARSING_ERROR':
      return `The server answered HTTP ${error.originalStatus} with a body that is not JSON.`;
    default:
      return problemMessage(problemOf(error) ?? {}, error.status);
  }
}

function problemMessage(problem: Problem, status: number): string {
  const own = problem.code ? SENTENCES[problem.code] : undefined;
  // A 403's detail names the role needed, which says more than our sentence.
  if (own && !(problem.code === 'forbidden' && problem.detail)) return own;
  // `validation_failed`: the title says what was invalid, the detail names every offending field.
  if (problem.code === 'validation_failed' && problem.title && problem.detail) return `${problem.title}: ${problem.detail}`;
  return problem.detail || problem.title || `Request failed (HTTP ${status}).`;
}

/** 503 `not_caught_up`: the read model did not reach our Consistency-Token in time (worth another try). */
export function isNotCaughtUp(error: ApiError | undefined): boolean {
  return httpStatusOf(error) === 503 && problemOf(error)?.code === 'not_caught_up';
}
