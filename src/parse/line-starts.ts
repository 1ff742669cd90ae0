/** Offsets in a text and the lines they fall on: one index of line starts, one search over ascending lists. */

/** The offset at which each line of `text` starts (the first is 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The last index whose value is <= `n` in an ascending, non-empty list (0 when none is). */
export function floorIndex(list: readonly number[], n: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]! <= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
