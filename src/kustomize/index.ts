/**
 * # In-process Kustomize build with source origins
 *
 * Renders a kustomization the way `kubectl kustomize` (Kustomize v5.5) does — same objects, same order — from a
 * virtual file tree, in process, with no binary and no I/O, and remembers for every value of every rendered
 * object the file, line and column it was written at (the base document, the patch, the `images:` entry, the
 * generator literal or `.env` line, the `namespace:`/`namePrefix:` line). The review engine judges what Argo CD
 * will apply and points each finding at the line a person edits.
 *
 * ## Use
 * ```ts
 * const session = createRenderSession(tree);          // one per review side; parses each file once
 * const result = session.build("apps/web/overlays/prod");
 * if (result.ok) for (const r of result.resources) r.originOf(["spec", "template", "spec", "containers", 0, "image"]);
 * else fallBackToFileByFile(result.reason);            // plus result.files: what the attempt read
 * ```
 * `buildKustomization(tree, dir, opts)` is the one-shot form. `printYaml(values)` prints a build like
 * `kubectl kustomize`. The graph helpers (`buildKustomizationGraph`) need only kustomization texts and the list
 * of paths: they say which files a render reads (`closure`), which kustomizations are `roots`, and which roots a
 * change reaches (`affectedRoots`), so the GitHub App fetches exactly what it renders.
 *
 * ## What is rendered
 * `resources` (files, `List` kinds, local directories, recursively), `components`, `patches` (strategic merge
 * with the built-in schema's merge keys — containers, initContainers, ephemeralContainers, env, volumes,
 * volumeMounts, ports (containerPort+protocol), imagePullSecrets, hostAliases, topologySpreadConstraints,
 * finalizers … — `$patch: delete|replace|merge`; JSON 6902 inline or from files, list indexes and `-`; `target`
 * by group/version/kind/name/namespace regex and label/annotation selectors; `allowNameChange`/
 * `allowKindChange`), `patchesStrategicMerge`, `patchesJson6902`, `namespace`, `namePrefix`/`nameSuffix`,
 * `commonLabels`/`labels` (includeSelectors, includeTemplates, fields), `commonAnnotations`, `replicas`, `images`
 * (newName/newTag/digest), `configMapGenerator`/`secretGenerator` (literals, envs/env, files incl. `key=path`,
 * behavior create/merge/replace, options, `generatorOptions`) with kustomize's content-hash suffix, name
 * references to renamed objects (ConfigMaps, Secrets, ServiceAccounts, Services, Roles, PVCs, …), `sortOptions`,
 * `vars` (see vars.ts; a var Kustomize refuses — no or two matching objects, a missing field — is a failure).
 * `replacements` (inline or from files; see replacements.ts). `configurations` (custom transformer field specs,
 * merged with the built-in ones per accumulator as kustomize does; see configurations.ts, transformer-config.ts).
 *
 * ## What falls back (a failure with a reason, never a throw)
 * Remote bases and files (URLs, `github.com/…`, `?ref=`), `helmCharts`, plugins (`generators`, `transformers`,
 * `validators`), `openapi` in a base or component when the root sets none (the root's `openapi` and `crds` render; see
 * openapi.ts, crds.ts), `buildMetadata` other than the root's `originAnnotations`; a cycle; a
 * missing file; a path outside the repository or (by default, like kustomize) outside the kustomization's own
 * directory; invalid YAML or an invalid kustomization (unknown fields, wrong types — kustomize is strict); a patch
 * with no target; limits (nesting depth, files, bytes, resources). The caller reviews that kustomization's files
 * one by one, as before, and says why. (The review's lenient build leaves remote resources, `helmCharts`, plugins and
 * missing inputs out instead, with a note: see BuildOptions.)
 *
 * ## Origins
 * `originOf(path)` gives the exact node (a scalar's value; a map's or list's key, or a list item's first line)
 * or, for a path that is not set, the patch that removed it or an ancestor of it (a JSON 6902 `remove`/`move`
 * operation's first line, or that of a `replace`/`add` writing a map without it over one with it; a strategic-merge
 * `null`, `$patch: delete` or map `$patch: replace` line), else the nearest existing ancestor —
 * e.g. the container entry in the base for a missing `resources`. A map remembers the keys patches removed from it
 * and what they held (`OMap.removed`); `removals` lists them with the object as it would be without each one, so the
 * review can tell which removal a finding is owed to. Inline patches map back to their line inside kustomization.yaml. A hash-suffixed or
 * prefixed name points at the line that changed it last. `resource` is the identity after every transform (use
 * it for fingerprints: moving a value from base to overlay does not change it). A string a var filled in that is
 * exactly `$(VAR)` points where the var's value is written; a longer one keeps its own origin.
 */
import type { JsonPath } from "../core/path.js";
import type { ImagePart, SourceRange } from "../core/types.js";
import { classifyDocument } from "../parse/classify.js";
import type { ParsedDoc } from "../parse/yaml-file.js";
import type { KustomizationEdit } from "./argocd-overrides.js";
import { Builder } from "./build.js";
import { BuildFailure, shownReason } from "./failure.js";
import { normalizePath } from "./paths.js";
import { toRendered } from "./rendered.js";
import { toOrigin } from "./source.js";
import { Session } from "./session.js";
import type { BuildOptions, BuildResult, FileTree, Origin, RenderedResource } from "./types.js";

export type { BuildLimits, BuildOptions, BuildResult, FileTree, Origin, RenderedRemoval, RenderedResource } from "./types.js";
export { DEFAULT_BUILD_LIMITS } from "./types.js";
export { printYaml } from "./print.js";
export { argoCdSourcePaths, buildKustomizationGraph, isKustomizationFile, KUSTOMIZATION_FILE_NAMES, type KustomizationGraph, type KustomizationNode } from "./graph.js";
/** The directory of a repository path ("" for a file at the root). */
export { dirname as directoryOf, looksRemote } from "./paths.js";

export interface RenderSession {
  /**
   * Builds the kustomization in `dir` (repository-relative); with `edit`, of that kustomization as Argo CD changes it
   * first (an Application's `kustomize` overrides, see `applicationSources`). Never throws.
   */
  build(dir: string, edit?: KustomizationEdit): BuildResult;
}

/**
 * A session over one file tree: files are read and parsed once, and a base shared by several overlays is built
 * once. Use one session per tree (e.g. per side of a review); the tree must not change during the session.
 */
export function createRenderSession(tree: FileTree, options: BuildOptions = {}): RenderSession {
  const session = new Session(tree, options.parsedDocuments);
  const dirCache = new Map();
  return {
    build(dir: string, edit?: KustomizationEdit): BuildResult {
      const root = normalizePath(dir);
      if (root === null) return { ok: false, reason: `"${dir}" is outside the repository`, files: [] };
      const builder = new Builder(session, options, dirCache);
      try {
        const resources = builder.buildRoot(root, edit).map(toRendered);
        return { ok: true, resources, files: [...builder.files].sort(), notes: builder.notes.map(shownReason), ...(builder.leftOut ? { partial: true as const } : {}), ...(builder.leftOutOnlyHelmCharts ? { chartsOnly: true as const } : {}) };
      } catch (err) {
        const reason = err instanceof BuildFailure ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
        const at = err instanceof BuildFailure && err.at ? toOrigin(err.at) : null;
        return { ok: false, reason: shownReason(reason), files: [...builder.files].sort(), ...(at ? { at } : {}) };
      }
    },
  };
}

/** One-shot build of the kustomization in `dir`. */
export function buildKustomization(tree: FileTree, dir: string, options: BuildOptions = {}): BuildResult {
  return createRenderSession(tree, options).build(dir);
}

/** A location in a possibly different file than the document's own: `ParsedDoc.locate` of a rendered object. */
export type RenderedRange = SourceRange & { file: string };

/**
 * Presents a rendered object as a `ParsedDoc`, so today's rules run on it unchanged. `file` is the defining
 * file; `locate(path)` returns the origin of the value, whose `file` may be another one (the overlay, a patch):
 * the engine must take a finding's file from the located range (`RenderedRange.file`), not from `doc.file`.
 * Offsets (`spanOf`, `span`, `contains`) have no single file here and are empty.
 */
export function renderedToParsedDoc(r: RenderedResource, index = 0): RenderedParsedDoc {
  // The facts stage and the rules both present the same objects: one document each, so what is computed per
  // document (its class, its image sources) is computed once.
  const hit = presented.get(r);
  if (hit?.index === index) return hit;
  const doc = presentRendered(r, index);
  presented.set(r, doc);
  return doc;
}

type RenderedParsedDoc = ParsedDoc & { locate(path: JsonPath, target?: "value" | "key", part?: ImagePart): RenderedRange };

const presented = new WeakMap<RenderedResource, RenderedParsedDoc>();

function presentRendered(r: RenderedResource, index: number): RenderedParsedDoc {
  const file = r.definedAt.file;
  const value = r.value;
  return {
    file,
    index,
    value,
    class: classifyDocument(value, file),
    resource: r.resource,
    locate: (path: JsonPath, target: "value" | "key" = "value", part?: ImagePart): Origin => r.originOf(path, target, part),
    spanOf: () => [0, 0] as const,
    rangeOf: () => ({ line: r.definedAt.line, column: r.definedAt.column, endLine: r.definedAt.endLine, endColumn: r.definedAt.endColumn }),
    span: [0, 0] as const,
    contains: () => false,
  };
}

export { memoryTree } from "./memory-tree.js";
export { applicationSources, applicationSourcesOf, mayHoldKustomizeOverrides, overrideComponentDirectories, type ApplicationSource, type KustomizationEdit } from "./argocd-overrides.js";
export { isParameterFile, parameterFileApp, parameterFilesFor, readParameterFile, withParameterFiles, type ParameterFileRead } from "./argocd-source-files.js";
export { applicationSetElementValues, applicationSetPathOrigins, applicationSetReads, applicationSetSources, applicationSetSourcesIn, applicationSetSourcePaths, isApplicationSet, type ApplicationSetFiles, type ElementValue, type GeneratedPathOrigin } from "./argocd-applicationset.js";
export { renderedNode } from "./rendered.js";
