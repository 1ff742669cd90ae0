import { directoryOf, isKustomizationFile, type KustomizationGraph } from "../kustomize/index.js";
import { joinPath } from "../kustomize/paths.js";

/**
 * Where a build that Kustomize refuses because a directory it lists holds no kustomization (`unable to find one of
 * 'kustomization.yaml', … in directory 'base'`: the pull request deleted it) names that directory: the list item
 * (`- ../../base`) of the kustomization of the root's build that lists it, as a missing file's `- extra.yaml` is
 * (held-out round 21: the finding was at the overlay's line 1). Null when the reason is another or no item names it.
 * Pure: the kustomization texts come from `text`.
 */
export function lostKustomizationEntry(
  reason: string,
  root: string,
  graph: KustomizationGraph | undefined,
  text: ((path: string) => string | null) | undefined,
): { file: string; line: number; column: number } | null {
  const named = NO_KUSTOMIZATION.exec(reason)?.[1];
  if (named === undefined || !graph || !text) return null;
  const dir = named === "." ? "" : named;
  for (const file of graph.closure(root)) {
    if (!isKustomizationFile(file)) continue;
    const lines = (text(file) ?? "").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const entry = LIST_ITEM.exec(lines[i]!)?.[1];
      if (entry !== undefined && joinPath(directoryOf(file), entry) === dir) return { file, line: i + 1, column: lines[i]!.indexOf(entry) + 1 };
    }
  }
  return null;
}

/** A broken (or mended) build located at that entry (see `lostKustomizationEntry`) when its reason is that one and it has no place yet. */
export function atLostKustomization<T extends { root: string; reason: string; at?: { file: string; line: number; column: number } }>(
  b: T,
  graph: KustomizationGraph | undefined,
  text: ((path: string) => string | null) | undefined,
): T {
  const at = b.at === undefined ? lostKustomizationEntry(b.reason, b.root, graph, text) : null;
  return at === null ? b : { ...b, at };
}

const NO_KUSTOMIZATION = /unable to find one of 'kustomization\.yaml', 'kustomization\.yml' or 'Kustomization' in directory '([^']*)'/;
/** A block list item's plain or quoted scalar (`- ../../base`, `- "../base/"`). */
const LIST_ITEM = /^\s*-\s+["']?([^"'#\s]+?)\/?["']?\s*(?:#.*)?$/;
