const BUCKETS = 32;
const EMPTY: ReadonlyMap<string, number> = new Map();

/** Which bucket an order id lives in: a small FNV-1a over its last characters (order ids are random uuids). */
function bucketOf(orderId: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, orderId.length - 6); i < orderId.length; i++) hash = Math.imul(hash ^ orderId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % BUCKETS;
}

/**
 * Units held per order id, immutable. A popular product holds one reservation per open order and every order
 * placed changes them, so a change must not copy them all: they are spread over 32 buckets and a change copies
 * the bucket list and one bucket (about n/32 entries) instead of all n.
 */
export class Reservations {
  static readonly none = new Reservations(new Array<ReadonlyMap<string, number>>(BUCKETS).fill(EMPTY), 0);

  private constructor(
    private readonly buckets: ReadonlyArray<ReadonlyMap<string, number>>,
    /** How many orders hold a reservation. */
    readonly size: number,
  ) {}

  static fromEntries(entries: Iterable<readonly [string, number]>): Reservations {
    let reservations = Reservations.none;
    for (const [orderId, units] of entries) reservations = reservations.with(orderId, units);
    return reservations;
  }

  /** Units `orderId` holds, 0 when none. */
  unitsOf(orderId: string): number {
    return this.buckets[bucketOf(orderId)]!.get(orderId) ?? 0;
  }

  /** These reservations with `orderId` holding `units` (replacing what it held). */
  with(orderId: string, units: number): Reservations {
    const index = bucketOf(orderId);
    const bucket = this.buckets[index]!;
    const buckets = [...this.buckets];
    buckets[index] = new Map(bucket).set(orderId, units);
    return new Reservations(buckets, this.size + (bucket.has(orderId) ? 0 : 1));
  }

  /** These reservations without `orderId`'s. */
  without(orderId: string): Reservations {
    const index = bucketOf(orderId);
    const bucket = this.buckets[index]!;
    if (!bucket.has(orderId)) return this;
    const copy = new Map(bucket);
    copy.delete(orderId);
    const buckets = [...this.buckets];
    buckets[index] = copy;
    return new Reservations(buckets, this.size - 1);
  }

  *entries(): IterableIterator<[string, number]> {
    for (const bucket of this.buckets) yield* bucket;
  }

  /** Σ units held. */
  totalUnits(): number {
    let total = 0;
    for (const bucket of this.buckets) for (const units of bucket.values()) total += units;
    return total;
  }
}
