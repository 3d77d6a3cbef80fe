/**
 * A projection can run as N partitions (N processes, or N runners in one): partition i of N applies the events of
 * the streams that hash to i, so no two runners ever write the same stream's rows, and per-stream order holds.
 * Every partition still reads every event (the bus delivers the whole log to each durable consumer; the store
 * catch-up reads it all) and moves its own checkpoint past the events that are not its own, so gap detection by
 * dense positions works unchanged and no partition lags just because its streams are quiet. The read model's
 * position, the one readers wait on, is the lowest of the partitions' checkpoints.
 */
export interface Partition {
  index: number;
  count: number;
}

/** FNV-1a over the stream id's UTF-16 code units: stable across processes, versions and restarts. */
export function partitionOf(streamId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) {
    hash ^= streamId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

export const ownsStream = (partition: Partition | undefined, streamId: string): boolean =>
  partition === undefined || partition.count === 1 || partitionOf(streamId, partition.count) === partition.index;

/**
 * The checkpoint row (and dead-letter scope) of one partition: `catalog/0of4`. Unpartitioned, the projection's own
 * name; partitioned, that name's row holds the lowest position of its partitions (what readers wait on).
 */
export const checkpointNameOf = (projection: string, partition: Partition | undefined): string =>
  partition === undefined || partition.count === 1 ? projection : `${projection}/${partition.index}of${partition.count}`;

/**
 * `PROJECTION_PARTITIONS`-style text (`4`) and the indexes a process runs, checked: `all`, a list like `0,2`, or
 * `ordinal` — the number ending this host's name. A Kubernetes StatefulSet names its pods `projector-0`,
 * `projector-1`, …, so with `ordinal` and as many replicas as partitions each pod runs exactly its own partition.
 */
export function partitionsToRun(count: number, which: string, hostname?: string): Partition[] {
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new RangeError(`partition count must be 1..64, not ${count}`);
  if (which.trim() === 'all') return Array.from({ length: count }, (_, index) => ({ index, count }));
  const indexes = which.trim() === 'ordinal' ? [ordinalOf(hostname)] : which.split(',').map((part) => Number(part.trim()));
  for (const index of indexes) {
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`partition ${index} is not one of 0..${count - 1}`);
  }
  return [...new Set(indexes)].sort((a, b) => a - b).map((index) => ({ index, count }));
}

/** The ordinal a StatefulSet gives its pod, as the suffix of the host name: `projector-2` → 2. */
export function ordinalOf(hostname: string | undefined): number {
  const match = /-(\d{1,2})$/.exec(hostname ?? '');
  if (!match) throw new RangeError(`PROJECTOR_PARTITIONS=ordinal needs a host name ending in -<number> (a StatefulSet pod's), not "${hostname ?? ''}"`);
  return Number(match[1]);
}
