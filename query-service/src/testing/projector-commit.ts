import type pg from 'pg';
import { inTransaction } from '@shop/kernel';
import { projectionPositionPayload, PROJECTION_POSITION_CHANNEL } from '@shop/read-models';

/**
 * What the projector does at commit, for a suite that writes read-model rows by hand: `writeRows`, the projection's
 * checkpoint moved to `position` and the NOTIFY that wakes the readers waiting on it, all in one transaction.
 */
export async function commitAsProjector(pool: pg.Pool, projection: string, position: bigint, writeRows: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  await inTransaction(pool, async (client) => {
    await writeRows(client);
    await client.query(
      `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
       ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position`,
      [projection, position.toString()],
    );
    await client.query('SELECT pg_notify($1, $2)', [PROJECTION_POSITION_CHANNEL, projectionPositionPayload(projection, position)]);
  });
}
