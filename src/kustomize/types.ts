/** Public vocabulary of the in-process Kustomize build. Pure data, no I/O. */
import type { JsonPath } from "../core/path.js";
import type { ImagePart, Resource } from "../core/types.js";
import type { Document } from "yaml";

/** A source location: 1-based line and column, end exclusive — the `SourceRange` convention plus the file. */
export interface Origin {
  /** Repository-relative POSIX path. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * A read-only view of a repository. Paths are repository-relative POSIX paths without `./`, `..` or a leading
 * slash ("" is the repository root). Implementations do the I/O (disk, GitHub blobs, a test's object literal);
 * the build never touches anything else.
 */
export interface FileTree {
  /** The file's content (text, or bytes when it is not valid UTF-8), or null when there is no such file. */
  readFile(path: string): string | Uint8Array | null;
  isDirectory(path: string): boolean;
  /** Names (not paths) of the entries of a directory; [] when it is not one. Only used for kustomization lookup. */
  listDirectory(path: string): string[];
  /**
   * Where a path leads once symbolic links are followed (repository-relative), or null when it does not exist or
   * leads out of the repository. Only a tree that follows links (a directory on disk) has it: kustomize's load
   * restrictions judge a file by where it really is, so a link out of a kustomization's directory is refused.
   */
  realPath?(path: string): string | null;
}

export interface BuildLimits {
  /** Nested kustomization depth (overlay → base → base …). */
  maxDepth: number;
  /** Files read by one build (kustomizations, resources, patches, generator sources). */
  maxFiles: number;
  /** Bytes read by one build. */
  maxBytes: number;
  /** Resources alive at any point of one build. */
  maxResources: number;
  /** Bytes of one file. */
  maxFileBytes: number;
}

export const DEFAULT_BUILD_LIMITS: BuildLimits = {
  maxDepth: 32,
  maxFiles: 5_000,
  maxBytes: 50_000_000,
  maxResources: 20_000,
  maxFileBytes: 5_000_000,
};

export interface BuildOptions {
  /**
   * `rootOnly` (kustomize's default, and `kubectl kustomize`'s): a kustomization reads files only inside its own
   * directory tree (other directories only as kustomizations in `resources`/`components`). `none` is
   * `--load-restrictor LoadRestrictionsNone`, which Argo CD users often set in `kustomize.buildOptions`.
   */
  loadRestrictions?: "rootOnly" | "none";
  limits?: Partial<BuildLimits>;
  /**
   * Already parsed YAML documents of a file (e.g. the review engine's own parse of the same text), so the render
   * does not parse it again; return null to let the render parse. Used for resources and patches, not for
   * kustomization files (parsed as YAML 1.1, like kustomize, to type-check them the same way).
   */
  parsedDocuments?: (path: string, text: string) => readonly Document.Parsed[] | null;
  /**
   * A ConfigMap/Secret generator whose `envs`/`files` input is not in the tree is left out (with a note) instead of
   * failing the build, as Kustomize (and `gitops-guard render`) fail it. For the review only: such an input is
   * usually a file the deploy makes (decrypted, gitignored), and the rest of the overlay is still what Argo CD
   * applies around it.
   */
  skipMissingGeneratorInputs?: boolean;
  /**
   * `generators:`, `transformers:` and `validators:` plugins (ksops decrypting SOPS files into Secrets, say) are left
   * out (with a note) instead of failing the build, as Kustomize without plugins enabled (and `gitops-guard render`)
   * fails it. For the review only: what a plugin does cannot be known here, and the rest of the overlay is still much
   * closer to what Argo CD applies than its files judged one by one.
   */
  skipPlugins?: boolean;
  /**
   * Remote resources and components (a URL, a `github.com/…` path) are left out (with a note) instead of failing the
   * build. For the review only: the render reads no network, and the local rest of the overlay (its own resources,
   * patches, `images:`) is still what Argo CD applies beside them; a patch aimed at a remote object then fails the
   * build as before (nothing to match).
   */
  skipRemoteResources?: boolean;
  /**
   * `helmCharts:` (and the deprecated `helmChartInflationGenerator:`) are left out (with a note) instead of failing the
   * build, as Kustomize without `--enable-helm` (and `gitops-guard render`) fails it. For the review only: the render
   * inflates no chart (Argo CD does, with `--enable-helm` in its kustomize.buildOptions), and the rest of the overlay
   * (its `images:`, patches) is still what Argo CD applies beside the chart's objects; a patch aimed at one of them then
   * fails the build as before (nothing to match).
   */
  skipHelmCharts?: boolean;
  /**
   * A `resources:` entry naming a local YAML or JSON file the tree does not hold (a gitignored `secret.yaml`) is left
   * out (with a note: Argo CD cannot build the root as committed) instead of failing the build. For the review only:
   * the rest of the overlay (its `images:`, patches) is still closer to what is deployed than its files one by one.
   */
  skipMissingResourceFiles?: boolean;
  /**
   * A generators-only build (the review's, for a root that did not render): a `behavior: merge`/`replace` generator
   * with nothing to merge into (the ConfigMap is a remote base's) stands for what it writes, as if it created it.
   */
  generatorsAlone?: boolean;
}

/** One object of a build's output, with its source map. */
export interface RenderedResource {
  /** The object as plain JSON data (what `toJS` gives for a parsed document). */
  value: Record<string, unknown>;
  /** Identity after every transform (prefix/suffix, namespace, hash suffix): use it for fingerprints. */
  resource: Resource;
  /** Identity as the defining document (or generator) wrote it, before any transform renamed or moved it. */
  writtenAs: Resource;
  /**
   * Where the value at `path` came from: the exact node (scalars: the value; maps and lists: their key, or the
   * item's first line) or, for a path that is not set, the removal that last deleted it or an ancestor of it (see
   * `removals`), else the nearest existing ancestor. `[]` is `definedAt`. With
   * `part`, for an image reference an `images:` override rewrote: where that part of it was written.
   */
  originOf(path: JsonPath, target?: "value" | "key", part?: ImagePart): Origin;
  /** Where the resource is defined: the first line of its base document, or the generator entry that made it. */
  definedAt: Origin;
  /** Every file some value of this object came from (base document first). */
  sourceFiles: string[];
  /**
   * The keys patches removed (a JSON 6902 `remove` or `move`, or a `replace`/`add` of a map without them over one with
   * them; a strategic-merge `null` or `$patch: delete`) that are
   * still not set in the object, in document order; a removal inside a removed value is part of that value.
   */
  readonly removals: readonly RenderedRemoval[];
}

/** A key a patch removed from a rendered object. */
export interface RenderedRemoval {
  /** Where the removed key was (its parent is set in the object). */
  path: JsonPath;
  /** Where the removal is written: the `op: remove` entry, the `null` or `$patch: delete` line. */
  origin: Origin;
  /** The object's value with this removal undone (and every removal inside the removed value); computed once, read only. */
  restored(): Record<string, unknown>;
}

export type BuildResult =
  /**
   * `partial`: a lenient build (`skipRemoteResources`, `skipMissingResourceFiles`, `skipHelmCharts`) left remote
   * resources, missing resource files or Helm charts out — what the root applies holds more than `resources`, so an object missing from them may still
   * be applied (from the one left out). `chartsOnly`: all it left out is Helm charts, which only add objects (a patch
   * aimed at one fails the build): the objects of the repository's files are rendered whole.
   */
  | { ok: true; resources: RenderedResource[]; files: string[]; notes: string[]; partial?: true; chartsOnly?: true }
  /** `at`: where the refused value is written, when the failure knows it is not the kustomization (see BuildFailure). */
  | { ok: false; reason: string; files: string[]; at?: Origin };
