import type { RequestHandler, Response } from 'express';
import { ProblemError } from '@shop/service-kit';
import type { PositionSource } from './position-tracker.js';

const TOKEN = /^\d{1,19}$/;
const WAIT_MS = /^\d{1,6}$/;

/** The position a read must reflect at least: its Consistency-Token's, else 0 (anything committed will do). */
export const minPositionOf = (res: Response): bigint => (res.locals.minPosition as bigint | undefined) ?? 0n;

/**
 * Read-your-writes: a read carrying `Consistency-Token` waits (bounded) until the read model it is served from
 * has reached that position, else answers 503 `not_caught_up`. Every read answers the position it reflects.
 * Mounted per route, with the position source of the read model that route reads.
 */
export function consistency(tracker: PositionSource, maxWaitMs: number): RequestHandler {
  return async (req, res, next) => {
    const token = req.get('consistency-token');
    if (token !== undefined) {
      if (!TOKEN.test(token)) {
        throw new ProblemError(400, 'invalid_consistency_token', 'Invalid Consistency-Token', 'Expected the decimal position a write answered');
      }
      // A caller may ask to wait less (or not at all: 0) with Consistency-Max-Wait, never longer than the service allows.
      const asked = req.get('consistency-max-wait');
      if (asked !== undefined && !WAIT_MS.test(asked)) {
        throw new ProblemError(400, 'invalid_consistency_max_wait', 'Invalid Consistency-Max-Wait', 'Expected a whole number of milliseconds');
      }
      const waitMs = asked === undefined ? maxWaitMs : Math.min(Number(asked), maxWaitMs);
      if (!(await tracker.waitFor(BigInt(token), waitMs))) {
        throw new ProblemError(
          503,
          'not_caught_up',
          'Read model not caught up',
          `The read model is at ${tracker.position}, behind the requested ${token}; retry shortly`,
          { position: tracker.position.toString() },
          { 'Retry-After': '1' },
        );
      }
      res.locals.minPosition = BigInt(token);
    }
    res.set('Read-Model-Position', tracker.position.toString());
    next();
  };
}
