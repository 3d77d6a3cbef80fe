import type pg from 'pg';
import { z } from 'zod';
import { ProjectionName } from '@shop/read-models';
import { assertRole, opaqueCursor, parseOrThrow, sendJson, verifyBearer, type Exchange, type GetRoutes, type TokenVerifier } from '@shop/service-kit';
import { listDeadLetters, type DeadLetterCursor } from './dead-letters.queries.js';

const ListQuery = z.strictObject({
  projection: ProjectionName.optional(),
  cursor: z.string().max(1_000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** The position as the query left it (see DeadLetterCursor): a decimal position and a checkpoint row's name. */
const cursors = opaqueCursor<DeadLetterCursor>(z.strictObject({ position: z.string().regex(/^\d{1,19}$/), checkpoint: z.string().min(1).max(200) }));

function parseListQuery(exchange: Exchange): { projection?: ProjectionName; after?: DeadLetterCursor; limit: number } {
  const { projection, cursor, limit } = parseOrThrow(ListQuery, exchange.query, 'query string');
  return { limit, ...(projection ? { projection } : {}), ...(cursor === undefined ? {} : { after: cursors.decode(cursor) }) };
}

/**
 * `GET /api/admin/dead-letters?projection=` (admin): the events projections parked, newest first, from the table the
 * projector writes (no read model or cache in between, so always current: `Cache-Control: no-store`). The web app
 * polls it after a redrive request: the projection's list going empty is the redrive done.
 */
export function deadLetterRoutes(routes: GetRoutes, deps: { pool: pg.Pool; tokens: TokenVerifier }): void {
  routes.get('/api/admin/dead-letters', async (exchange) => {
    assertRole(await verifyBearer(deps.tokens, exchange.req.headers.authorization), ['admin']);
    const page = await listDeadLetters(deps.pool, parseListQuery(exchange));
    exchange.res.setHeader('Cache-Control', 'no-store');
    sendJson(exchange.res, { items: page.items, nextCursor: page.next ? cursors.encode(page.next) : null });
  });
}
