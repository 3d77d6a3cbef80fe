import type { SerializedError } from '@reduxjs/toolkit';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { Problem } from './types';

/** A human-readable message for an RTK Query error, preferring the RFC 9457 `detail`, then `title`. */
export function errorMessage(error: FetchBaseQueryError | SerializedError | undefined): string | null {
  if (!error) return null;
  if (!('status' in error)) return error.message ?? 'Something went wrong.';
  if (error.status === 'FETCH_ERROR') return 'Cannot reach the server.';
  if (error.status === 'TIMEOUT_ERROR') return 'The server took too long to answer.';
  const problem = (error.data ?? {}) as Problem;
  const status = error.status === 'PARSING_ERROR' ? error.originalStatus : error.status;
  return problem.detail || problem.title || `Request failed (HTTP ${String(status)}).`;
}
