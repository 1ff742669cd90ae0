import type { FactSlot, ImageFactRequest, ImageFacts, ProviderResult, ProviderRun, ReviewFacts } from "../core/facts.js";

/** Per provider (by slot name), per request key: what it found. */
export type ResultsByProvider = ReadonlyMap<string, ReadonlyMap<string, ProviderResult<unknown>>>;

class FrozenImageFacts implements ImageFacts {
  constructor(
    readonly key: string,
    readonly ref: ImageFactRequest["ref"],
    private readonly results: ReadonlyMap<string, ProviderResult<unknown>>,
  ) {
    Object.freeze(this);
  }

  from<T>(slot: FactSlot<T>): ProviderResult<T> | undefined {
    // Sound: a provider files results only under its own slot, typed FactsProvider<T> with slot FactSlot<T>.
    return this.results.get(slot.provider) as ProviderResult<T> | undefined;
  }
}

/** A Map that cannot be changed after construction (the setters throw), so facts stay what was gathered. */
class ReadonlyMapView<K, V> extends Map<K, V> {
  private sealed = false;
  constructor(entries: Iterable<readonly [K, V]>) {
    super(entries);
    this.sealed = true;
  }
  override set(key: K, value: V): this {
    if (this.sealed) throw new TypeError("review facts are read-only");
    return super.set(key, value);
  }
  override delete(): boolean {
    throw new TypeError("review facts are read-only");
  }
  override clear(): void {
    throw new TypeError("review facts are read-only");
  }
}

/** Assembles the immutable facts of a review. Pure; also what tests use to hand rules a fixed set of facts. */
export function buildReviewFacts(input: {
  asOf: Date | string;
  requests: readonly ImageFactRequest[];
  runs: readonly ProviderRun[];
  results: ResultsByProvider;
}): ReviewFacts {
  const images = new ReadonlyMapView<string, ImageFacts>(
    input.requests.map((req) => {
      const perProvider = new Map<string, ProviderResult<unknown>>();
      for (const [provider, byKey] of input.results) {
        const r = byKey.get(req.key);
        if (r) perProvider.set(provider, deepFreeze(structuredClone(r)));
      }
      return [req.key, new FrozenImageFacts(req.key, req.ref, new ReadonlyMapView(perProvider))] as const;
    }),
  );
  const asOf = typeof input.asOf === "string" ? new Date(input.asOf).toISOString() : input.asOf.toISOString();
  return Object.freeze({ asOf, providers: Object.freeze(input.runs.map((r) => Object.freeze({ ...r }))), images });
}

/** Freezes a plain data tree (facts are JSON-like: objects, arrays, strings, numbers). */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** An empty set of facts: no provider ran. */
export function noFacts(asOf: Date = new Date()): ReviewFacts {
  return buildReviewFacts({ asOf, requests: [], runs: [], results: new Map() });
}
