/**
 * The facts stage: what rules need to know from outside the repository (a registry's scan results, a
 * vulnerability database…), fetched in bulk before rules run, by providers behind one interface. The engine
 * knows nothing about any provider: a provider is a folder that implements `FactsProvider` and exports a
 * `FactSlot` through which its rules read what it found.
 */
import type { JsonPath } from "../core/path.js";
import type { ImageRef } from "../parse/image-ref.js";

/** Where an image reference is written: the file, the YAML document and the JSON path of the node that set it. */
export interface ImageLocation {
  file: string;
  docIndex: number;
  path: JsonPath;
}

/** One image the review asks about, deduplicated by `key` over every place that references it. */
export interface ImageFactRequest {
  /** Normalised reference (`registry/repository[:tag][@digest]`), the key facts are filed under. */
  key: string;
  ref: ImageRef;
  locations: readonly ImageLocation[];
}

/**
 * A provider's answer for one image: a fact, or why there is none. A provider that cannot answer says so per
 * image (`unavailable` with a reason that names the cause and contains no secret); it never stays silent.
 */
export type ProviderResult<T> = { readonly kind: "fact"; readonly value: T } | { readonly kind: "unavailable"; readonly reason: string };

/**
 * A typed handle on one provider's facts: the provider declares it, its rules read through it
 * (`facts.images.get(key)?.from(SLOT)`), and the engine only sees the name.
 */
export interface FactSlot<T> {
  readonly provider: string;
  /** Never set; carries the fact type. */
  readonly __fact?: T;
}

export function factSlot<T>(provider: string): FactSlot<T> {
  return Object.freeze({ provider });
}

export interface FactsProvider<T> {
  readonly slot: FactSlot<T>;
  /** Short name for notes and reasons, e.g. "ECR". */
  readonly name: string;
  /** Whether the provider runs in this review; when it does not, `disabledReason` says why (for one note). */
  readonly enabled: boolean;
  readonly disabledReason?: string;
  /** Whether the provider can say anything about this image (e.g. ECR: only private ECR registries). Pure. */
  covers(ref: ImageRef): boolean;
  /**
   * Facts for the covered images, keyed by request key. Never throws for a single image's trouble: that is an
   * `unavailable` result. A covered image without a result, or a rejected promise, becomes `unavailable` for the
   * images concerned.
   */
  gather(requests: readonly ImageFactRequest[], signal?: AbortSignal): Promise<ReadonlyMap<string, ProviderResult<T>>>;
}

/** Any provider, for the stage (which treats facts as opaque values). */
export type AnyFactsProvider = FactsProvider<unknown>;

/** What the stage did with one provider. */
export interface ProviderRun {
  readonly provider: string;
  readonly name: string;
  readonly enabled: boolean;
  /** Why it did not run (disabled), else null. */
  readonly skipped: string | null;
  /** Images it was asked about (covered requests). */
  readonly requested: number;
  /** Of those, images it could not answer for. */
  readonly unavailable: number;
}

/** Everything the providers found about one image. */
export interface ImageFacts {
  readonly key: string;
  readonly ref: ImageRef;
  /** The result of one provider, or undefined when it did not run or does not cover this image. */
  from<T>(slot: FactSlot<T>): ProviderResult<T> | undefined;
}

/** The facts of one review: immutable, read by rules through the evaluation context. */
export interface ReviewFacts {
  /** ISO time the facts were gathered; rules judge expiries (e.g. an allowlist entry) against it. */
  readonly asOf: string;
  readonly providers: readonly ProviderRun[];
  readonly images: ReadonlyMap<string, ImageFacts>;
}
