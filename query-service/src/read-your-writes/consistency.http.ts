import { ProblemError, type Exchange } from '@shop/service-kit';
import type { PositionSource } from './position-tracker.js';

const TOKEN = /^\d{1,19}$/;
const WAIT_MS = /^\d{1,6}$/;

/**
 * Read-your-writes for one read model: waits (bounded) until it has reached the request's `Consistency-Token`, and
 * answers the position the read must reflect at least (the token's, else 0: anything committed will do).
 */
export type Freshness = (exchange: Exchange) => Promise<bigint>;

/**
 * A read carrying `Consistency-Token` waits (bounded) until the read model it is served from has reached that
 * position, else answers 503 `not_caught_up`. Every read answers the position it reflects (`Read-Model-Position`;
 * a route that reads a stamped entry overwrites it with the entry's). One per read model, with its position source.
 */
export function consistency(tracker: PositionSource, maxWaitMs: number): Freshness {
  return async ({ req, res }) => {
    const token = req.headers['consistency-token'] as string | undefined;
    let minPosition = 0n;
    if (token !== undefined) {
      if (!TOKEN.test(token)) {
        throw new ProblemError(400, 'invalid_consistency_token', 'Invalid Consistency-Token', 'Expected the decimal position a write answered');
      }
      // A caller may ask to wait less (or not at all: 0) with Consistency-Max-Wait, never longer than the service allows.
      const asked = req.headers['consistency-max-wait'] as string | undefined;
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
      minPosition = BigInt(token);
    }
    res.setHeader('Read-Model-Position', tracker.position.toString());
    return minPosition;
  };
}
