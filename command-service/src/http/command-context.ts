import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EventMetadata } from '@shop/kernel';
import { principalOf } from '@shop/service-kit';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The metadata every event of this request carries. The actor comes from the verified token, never from
 * the body; the correlation id from `X-Correlation-Id` when it is well-formed, else a new one.
 */
export function commandMetadata(req: Request, res: Response): EventMetadata {
  const header = req.get('x-correlation-id');
  const correlationId = header && CORRELATION_ID.test(header) ? header : randomUUID();
  const { userId, role } = principalOf(res);
  res.set('X-Correlation-Id', correlationId);
  // An HTTP command has no causing event: its cause is the request itself, named by the correlation id.
  return { correlationId, causationId: correlationId, actor: { userId, role } };
}

/** Every write answers the global position of its last event; reads that send it back see the write. */
export const setConsistencyToken = (res: Response, lastPosition: bigint): void => {
  res.set('Consistency-Token', lastPosition.toString());
};


