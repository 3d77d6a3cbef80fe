/** What every folded row change keeps: the row's first version in the batch, and its last version and position. */
export interface RowVersions {
  firstVersion: bigint;
  version: bigint;
  position: bigint;
}

/**
 * A batch's updates folded into one change per row (rows in the order they first appear), so a projection writes
 * each row once per batch however many of its events the batch holds. `start` opens a row's change at its first
 * update; `merge` then applies every update to it in order, the first included; the row's version and position
 * follow its last update.
 */
export function foldPerRow<U extends { version: bigint; position: bigint }, F extends RowVersions>(
  updates: readonly U[],
  rowOf: (update: U) => string,
  start: (update: U) => Omit<F, keyof RowVersions>,
  merge: (row: F, update: U) => void,
): F[] {
  const folded = new Map<string, F>();
  for (const update of updates) {
    const key = rowOf(update);
    let row = folded.get(key);
    if (!row) {
      row = { ...start(update), firstVersion: update.version } as F;
      folded.set(key, row);
    }
    merge(row, update);
    row.version = update.version;
    row.position = update.position;
  }
  return [...folded.values()];
}
