import type pg from 'pg';

/** Where a read model keeps its rows, and the projection whose checkpoint says how far they reflect the log. */
export interface ReadModelRowQuery {
  /** The prepared statement's name. */
  name: string;
  columns: string;
  table: string;
  projection: string;
}

/**
 * One row of a read model by id and its projection's checkpoint, from ONE statement (one snapshot), so the position
 * is exactly the one the row reflects: the stamp of the cache entry made from it (cache/read-through.ts).
 */
export async function findRowAtPosition<Row extends object>(pool: pg.Pool, query: ReadModelRowQuery, id: string): Promise<{ row: Row; position: bigint } | undefined> {
  const result = await pool.query<Row & { read_position: string | null }>({
    name: query.name,
    text: `SELECT ${query.columns},
                  (SELECT position FROM projection_checkpoints WHERE projection = '${query.projection}') AS read_position
             FROM ${query.table} WHERE id = $1`,
    values: [id],
  });
  const row = result.rows[0];
  return row && { row, position: BigInt(row.read_position ?? 0) };
}
