/**
 * kyaml's `RNode.GetFieldValue` lookup, which a `vars:` entry's `fieldref.fieldPath` goes through: a dotted path
 * (`spec.ports[0].port`, `spec.template.spec.containers.[name=web].image`, `metadata.annotations.[a.b/c]`, `a\.b`)
 * split like `utils.SmarterPathSplitter`, `x[0]` turned into `x`, `0`, then walked like kyaml's `PathGetter`: a
 * number indexes a list, `-` is the last item, `[k=v]` picks the first map item whose `k` is `v` (`[=v]` the first
 * scalar `v`), anything else is a map key. `null` when the path is missing, an error where kyaml errs.
 */
import type { ONode } from "./onode.js";
import { smarterPathSplitter, walkPath } from "./replacement-path.js";

/** kyaml's convertSliceIndex: `ports[0]` → `ports`, `0`. */
function convertSliceIndex(fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of fields) {
    const m = s.endsWith("]") ? /^(.*)\[(\d+)\]$/s.exec(s) : null;
    if (m === null) {
      out.push(s);
      continue;
    }
    if (m[1] !== "") out.push(m[1]!);
    out.push(m[2]!);
  }
  return out;
}

/**
 * The node at `fieldPath` (kyaml's GetFieldValue walk: the PathGetter replacements read their source with, after
 * `x[0]` is split into `x`, `0`), null when a part of it is missing. Throws a BuildFailure where kyaml errs.
 */
export function lookupFieldPath(root: ONode, fieldPath: string): ONode | null {
  const parts = convertSliceIndex(smarterPathSplitter(fieldPath))
    .map((p) => p.trim())
    .filter((p) => p !== "");
  return walkPath(root, parts) ?? null;
}
