/**
 * A set of code points held as sorted ranges, decoded from the compact form the
 * generated Unicode tables use (`scripts/gen_unicode_tables.ts`).
 *
 * @module
 */

/** A set of code points as sorted, disjoint ranges. */
export class CodePointRanges {
  /** First and last code point of every range, in order: `[first0, last0, first1, …]`. */
  readonly bounds: Uint32Array;

  /**
   * @param data Comma-separated `gap+length` ranges in base 36: `gap` is the first code
   *   point minus the previous range's last, `length` the last minus the first.
   */
  constructor(data: string) {
    const entries = data.split(",");
    this.bounds = new Uint32Array(entries.length * 2);
    let previous = 0;
    entries.forEach((entry, i) => {
      const [gap, length] = entry.split("+");
      const first = previous + parseInt(gap, 36);
      previous = first + parseInt(length, 36);
      this.bounds[2 * i] = first;
      this.bounds[2 * i + 1] = previous;
    });
  }

  /**
   * Tells whether a code point is in the set (a binary search).
   *
   * @param code The code point.
   * @returns `true` when one of the ranges holds it.
   */
  has(code: number): boolean {
    const bounds = this.bounds;
    if (code < bounds[0]) return false;
    let low = 0;
    let high = bounds.length / 2 - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (code < bounds[2 * mid]) high = mid - 1;
      else if (code > bounds[2 * mid + 1]) low = mid + 1;
      else return true;
    }
    return false;
  }

  /**
   * Calls `fn` with the first and last code point of every range, in order.
   *
   * @param fn The callback.
   */
  forEach(fn: (first: number, last: number) => void): void {
    for (let i = 0; i < this.bounds.length; i += 2) fn(this.bounds[i], this.bounds[i + 1]);
  }
}
