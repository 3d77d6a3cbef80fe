/** Pure statistics over measured samples. */

/** Median of the values (the mean of the two middle ones for an even count). Throws on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Nearest-rank percentile (p in 0..100) of samples: the smallest sample such that at least p% of the samples
 * are at or below it. Pass `sorted: true` when the samples are already in ascending order (latency arrays are
 * large; sorting them once serves every percentile).
 */
export function percentile(samples: ArrayLike<number>, p: number, options: { sorted?: boolean } = {}): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  const sorted = options.sorted ? samples : Float64Array.from(samples).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Sorts a copy of the samples ascending (numerically) into a Float64Array. */
export function sortedSamples(samples: ArrayLike<number>): Float64Array {
  return Float64Array.from(samples).sort();
}
