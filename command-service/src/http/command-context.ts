import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EventMetadata } from '@shop/kernel';
import { noteCorrelationId, principalOf, requestIdOf, traceparentOfRequest } from '@shop/service-kit';
import { streamVersionEtag } from './preconditions.js';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's correlation id, echoed on the answer and noted for the request's log line: `X-Correlation-Id` when
 * well-formed (a caller tying several requests together), else the request's `X-Request-Id` (the gateway's, so one
 * id names the request in nginx's, the service's and the projector's lines), else a new one.
 */
export function correlationIdOf(req: Request, res: Response): string {
  const header = req.get('x-correlation-id');
  const correlationId = header && CORRELATION_ID.test(header) ? header : (requestIdOf(res) ?? randomUUID());
  res.set('X-Correlation-Id', correlationId);
  noteCorrelationId(res, correlationId);
  return correlationId;
}

/**
 * The metadata every event of this request carries. The actor comes from the verified token, never from
 * the body; the correlation id as correlationIdOf has it; the trace context of the request's span when tracing is on.
 */
export function commandMetadata(req: Request, res: Response): EventMetadata {
  const correlationId = correlationIdOf(req, res);
  const { userId, role } = principalOf(res);
  // An HTTP command has no causing event: its cause is the request itself, named by the correlation id.
  const traceparent = traceparentOfRequest(res);
  return { correlationId, causationId: correlationId, actor: { userId, role }, ...(traceparent === undefined ? {} : { traceparent }) };
}

/**
 * Every write answers the global position of its last event; reads that send it back see the write. A command
 * that changed nothing answers 0: there is nothing new to wait for.
 */
export const setConsistencyToken = (res: Response, lastPosition: bigint | undefined): void => {
  res.set('Consistency-Token', (lastPosition ?? 0n).toString());
};

/** The answer headers of a command on one aggregate: its new ETag (stream version) and the Consistency-Token. */
export function setCommandHeaders(res: Response, outcome: { lastPosition: bigint | undefined; version: bigint }): void {
  setConsistencyToken(res, outcome.lastPosition);
  res.set('ETag', streamVersionEtag(outcome.version));
}
