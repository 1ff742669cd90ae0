/** "Did you mean …?" for names a person typed: configuration keys, rule ids. Pure. */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push([i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[s.length]![t.length]!;
}

/** The part of a rule id after its domain (`k8s/run-as-root` → `run-as-root`). */
function tail(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1);
}

/**
 * The candidates closest to `typed` (at most `max`, best first), or none when nothing is close: a distance of at most
 * a third of the typed length (at least 1, at most 4). A rule id typed without its domain (`privileged-container`) or
 * with the wrong one (`k8s/wildcard-permissions`) is matched on the part after the slash too, and a name cut short
 * matches the names it begins.
 */
export function suggest(typed: string, candidates: Iterable<string>, max = 3): string[] {
  if (typed.length > 200) return [];
  const limit = Math.min(4, Math.max(1, Math.floor(typed.length / 3)));
  const scored: Array<{ name: string; d: number }> = [];
  for (const name of candidates) {
    let d = editDistance(typed, name);
    if (name.includes("/")) d = Math.min(d, editDistance(tail(typed), tail(name)) + (typed.includes("/") ? 1 : 0));
    // A name cut short (`k8s/host-path` for `k8s/host-path-volume`) is a candidate too, after the closer ones.
    if (d > limit && typed.length >= 4 && name.toLowerCase().startsWith(typed.toLowerCase())) d = limit;
    if (d <= limit) scored.push({ name, d });
  }
  return scored
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}

/** `; did you mean "a" or "b"?` — empty when there is no suggestion. */
export function didYouMean(typed: string, candidates: Iterable<string>): string {
  const near = suggest(typed, candidates);
  return near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(" or ")}?` : "";
}
