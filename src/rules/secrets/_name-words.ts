const cache = new Map<string, readonly string[]>();

/**
 * Splits `dbPassword`, `DB_PASSWORD`, `db-password`, `db.password`, `APIKey` into lower-case words (digits dropped).
 * Memoised (keys repeat across documents and every secrets rule asks); callers get a copy they may change.
 */
export function nameWords(name: string): string[] {
  let words = cache.get(name);
  if (words === undefined) {
    words = split(name);
    if (cache.size >= 100_000) cache.clear();
    cache.set(name, words);
  }
  return [...words];
}

function split(name: string): string[] {
  // Names are short; only the end of an absurdly long one is read (its last words say what it holds), which also keeps
  // the case-splitting patterns below cheap.
  return (name.length > 256 ? name.slice(-256) : name)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])(\d)/g, "$1 $2")
    .replace(/(\d)([A-Za-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w !== "" && !/^\d+$/.test(w));
}
