import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { ProjectionName } from '@shop/read-models';
import { authenticate, parseOrThrow, principalOf, requireRole, type TokenService } from '@shop/service-kit';
import { setConsistencyToken } from '../../http/command-context.js';
import { requestRedrive } from './redrive.js';

const ProjectionParams = z.strictObject({ projection: ProjectionName });
const NoBody = z.strictObject({});

/**
 * `POST /api/admin/projections/:projection/redrive` (admin): asks the projector to redrive the projection's dead
 * letters, as `npm run projections -- redrive` does. 202 `{ requestId }` at once; asking again while a request is
 * open answers the open one's id. It appends no event (Consistency-Token 0): a caller watches the dead-letter list
 * (`GET /api/admin/dead-letters?projection=`) empty instead.
 */
export function redriveRoutes(deps: { pool: pg.Pool; tokens: TokenService }): Router {
  const router = Router();
  router.post('/api/admin/projections/:projection/redrive', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const { projection } = parseOrThrow(ProjectionParams, req.params, 'projection');
    parseOrThrow(NoBody, req.body ?? {}, 'request body');
    const { requestId } = await requestRedrive(deps.pool, { id: randomUUID(), projection, requestedBy: principalOf(res).userId });
    setConsistencyToken(res, undefined);
    res.status(202).json({ requestId });
  });
  return router;
}
