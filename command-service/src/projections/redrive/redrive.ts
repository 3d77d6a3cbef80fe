import type pg from 'pg';
import { REDRIVE_REQUESTS_TABLE, type ProjectionName } from '@shop/read-models';

export interface RedriveRequest {
  /** The new request's id (made by the caller, as every id that comes with a command). */
  id: string;
  projection: ProjectionName;
  /** The admin's account id. */
  requestedBy: string;
}

/** A request has at most one open row per projection, so this many tries only loses to a redrive finishing twice over. */
const ATTEMPTS = 3;

/**
 * Records a request to redrive `projection`'s dead letters, for a projector that runs it to take
 * (projector/src/runner/redrive-requests.ts). While a request for the projection is open (not finished, taken or
 * not) it answers that one's id instead: one redrive at a time per projection, however often the admin asks.
 * The table's unique index on open requests decides between two asking at once; the loser reads the winner's id.
 */
export async function requestRedrive(pool: pg.Pool, request: RedriveRequest): Promise<{ requestId: string }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const inserted = await pool.query(
      `INSERT INTO ${REDRIVE_REQUESTS_TABLE} (id, projection, requested_by) VALUES ($1, $2, $3)
       ON CONFLICT (projection) WHERE finished_at IS NULL DO NOTHING`,
      [request.id, request.projection, request.requestedBy],
    );
    if (inserted.rowCount === 1) return { requestId: request.id };
    const open = await pool.query<{ id: string }>(`SELECT id FROM ${REDRIVE_REQUESTS_TABLE} WHERE projection = $1 AND finished_at IS NULL`, [request.projection]);
    if (open.rows[0]) return { requestId: open.rows[0].id };
    // The open request finished between the two statements: ask again, this time as the new one.
  }
  throw new Error(`redrive request for ${request.projection}: an open request kept finishing under ${ATTEMPTS} attempts`);
}
