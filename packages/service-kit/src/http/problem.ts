import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requestIdOf } from './client-identity.js';

/** RFC 9457 problem details with a stable machine-readable `code`. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }

  toBody(): ProblemBody {
    return {
      type: `https://shop.local/problems/${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...this.extensions,
    };
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Turns a zod failure into a 400 naming every offending field. */
export function validationProblem(error: z.ZodError, where: string): ProblemError {
  const errors = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new ProblemError(400, 'validation_failed', `Invalid ${where}`, detail, { errors });
}

/** Parses `value` with `schema` or throws a 400 problem; handlers only ever see typed input. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new ProblemError(404, 'route_not_found', 'Not Found', `No route for ${req.method} ${req.path}`));
};

interface BodyParserError {
  type: string;
  status?: number;
}
const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string';

// The database could not be reached or dropped the connection: SQLSTATE class 08 (connection exception), 57P01–03
// (admin or crash shutdown, cannot connect now), 53300 (too many connections), or the socket's own failure.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const UNREACHABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// pg's own words when a connection ends under a query, when a dead one is used again, and pg-pool's connect timeout.
const LOST_CONNECTION = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/** A fault of the database's reachability, not of the request: worth a retry shortly (503), not a 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Read structurally: errors made by Node's own sockets may come from another realm than this module's Error.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNREACHABLE_SOCKET.has(code))) return true;
  return typeof message === 'string' && LOST_CONNECTION.test(message);
}

/**
 * How a failure that is not the request's fault is answered: 503 `unavailable` with Retry-After when the database
 * is out of reach (the request may simply be sent again), else 500 `internal_error`.
 */
export const failureProblem = (error: unknown): ProblemError =>
  isDatabaseUnavailable(error)
    ? new ProblemError(503, 'unavailable', 'Service Unavailable', 'The database cannot be reached right now; retry shortly', {}, { 'Retry-After': '1' })
    : new ProblemError(500, 'internal_error', 'Internal Server Error');

function toProblem(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  // express's router decoding a `:param` (rejectMalformedUri stops these first; this keeps a route mounted before it safe).
  if (error instanceof URIError) return new ProblemError(400, 'malformed_uri', 'Bad Request', 'The request URI holds a malformed percent-encoding');
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return new ProblemError(400, 'malformed_json', 'Malformed JSON', 'The request body is not valid JSON');
      case 'entity.too.large':
        return new ProblemError(413, 'payload_too_large', 'Payload Too Large', 'The request body exceeds the size limit');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new ProblemError(415, 'unsupported_encoding', 'Unsupported Media Type', 'Use UTF-8 JSON');
      default:
        if (error.status !== undefined && error.status >= 400 && error.status < 500) {
          return new ProblemError(error.status, 'bad_request', 'Bad Request', error.type);
        }
    }
  }
  return undefined;
}

/** Answers with a problem: its status, its headers, and its body as application/problem+json. */
export function sendProblem(res: Response, problem: ProblemError): void {
  res.status(problem.status).set(problem.headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.toBody()));
}

/**
 * The one place errors become HTTP answers. The database out of reach is a 503 with Retry-After (logged as a
 * warning); anything else unrecognised is a 500 and is logged with its stack.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = toProblem(error);
    const problem = known ?? failureProblem(error);
    if (!known && problem.status === 503) {
      logger.warn({ err: String((error as { message?: unknown }).message), method: req.method, path: req.path, requestId: requestIdOf(res) }, 'database unavailable');
    } else if (!known) {
      logger.error({ err: error, method: req.method, path: req.path, requestId: requestIdOf(res) }, 'unhandled error');
    }
    if (res.headersSent) return;
    sendProblem(res, problem);
  };
}
