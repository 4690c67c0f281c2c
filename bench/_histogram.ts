/**
 * A log-linear latency histogram in µs: exact below 64 µs, then 32 buckets per power of two
 * (about 3 % resolution). Recording is one `Math.clz32` and an array increment; histograms of
 * several processes add up bucket by bucket.
 *
 * @module
 */

const SUB_BITS = 5;
const SUB_BUCKETS = 1 << SUB_BITS;
const LINEAR_LIMIT = 2 * SUB_BUCKETS;
/** Number of buckets: enough for 2^31 µs (about 35 minutes). */
export const HISTOGRAM_BUCKETS = LINEAR_LIMIT + (31 - SUB_BITS) * SUB_BUCKETS;

/** Bucket index of a latency in µs. */
export function bucketOf(us: number): number {
  const v = us < 0 ? 0 : us > 0x7fffffff ? 0x7fffffff : us | 0;
  if (v < LINEAR_LIMIT) return v;
  const exponent = 31 - Math.clz32(v); // >= SUB_BITS + 1
  const sub = (v >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
  return LINEAR_LIMIT + (exponent - SUB_BITS - 1) * SUB_BUCKETS + sub;
}

/** Smallest latency (µs) that falls in a bucket. */
export function bucketStart(index: number): number {
  if (index < LINEAR_LIMIT) return index;
  const k = index - LINEAR_LIMIT;
  const exponent = Math.floor(k / SUB_BUCKETS) + SUB_BITS + 1;
  const sub = k % SUB_BUCKETS;
  return (SUB_BUCKETS + sub) * 2 ** (exponent - SUB_BITS);
}

/**
 * The latency below which a fraction of the samples fall, as the middle of its bucket.
 *
 * @param counts Bucket counts.
 * @param fraction For instance 0.99.
 * @param maxUs The exact maximum, returned when it is smaller than the bucket middle.
 * @returns µs, or `null` without samples.
 */
export function percentile(
  counts: ArrayLike<number>,
  fraction: number,
  maxUs: number,
): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return null;
  const rank = Math.ceil(total * fraction);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen >= rank) {
      const start = bucketStart(i);
      const mid = i < LINEAR_LIMIT ? start : (start + bucketStart(i + 1)) / 2;
      return Math.min(mid, maxUs);
    }
  }
  return maxUs;
}
