/** Turning a finished build's resources into the public `RenderedResource` (plain value + source map). */
import type { JsonPath } from "../core/path.js";
import { knownPlainValue, nodeAt, removalsIn, toJS, toJSRestored, type OMap, type ONode, type PathRemoval } from "./onode.js";
import { curId, orgId, type Res } from "./res.js";
import type { ResId } from "./resid.js";
import { toOrigin, type Src } from "./source.js";
import type { Origin, RenderedRemoval, RenderedResource } from "./types.js";
import type { ImagePart } from "../core/types.js";

const UNKNOWN: Origin = { file: "", line: 1, column: 1, endLine: 1, endColumn: 1 };

function anySrc(n: ONode): Src | null {
  if (n.src) return n.src;
  if (n.t === "m") for (const e of n.entries.values()) if (e.key) return e.key;
  return null;
}

function resourceOf(id: ResId): RenderedResource["resource"] {
  return {
    apiVersion: id.group === "" ? id.version || null : `${id.group}/${id.version}`,
    kind: id.kind || null,
    namespace: id.namespace || null,
    name: id.name || null,
  };
}

/** The origin-tracked node of each rendered object (e.g. an Application, to read its overrides with their origins). */
const nodes = new WeakMap<RenderedResource, OMap>();

/** The origin-tracked node of a rendered object, when it came from a build. */
export function renderedNode(r: RenderedResource): OMap | undefined {
  return nodes.get(r);
}

export function toRendered(r: Res): RenderedResource {
  const root: OMap = r.node;
  const definedSrc = r.definedAt ?? anySrc(root);
  const definedAt = definedSrc ? lazyOrigin(definedSrc) : UNKNOWN;
  const id = curId(r);
  let value: Record<string, unknown> | null = null;
  let removals: readonly RenderedRemoval[] | null = null;
  const rendered: RenderedResource = {
    get value() {
      // A root no transform changed has the value the review's parse already computed.
      value ??= (knownPlainValue(root) ?? toJS(root)) as Record<string, unknown>;
      return value;
    },
    resource: resourceOf(id),
    writtenAs: resourceOf(orgId(r)),
    originOf(path: JsonPath, target: "value" | "key" = "value", part?: ImagePart): Origin {
      if (path.length === 0) return definedAt;
      const { node, key, complete, ancestors, removal } = nodeAt(root, path);
      // A path a patch removed (or removed an ancestor of) points at that removal: the line that made it unset.
      if (removal !== undefined) return toOrigin(removal.at);
      if (node === root) return definedAt;
      const preferKey = target === "key" || node.t !== "s" || !complete;
      // An image an `images:` override rewrote knows where each of its parts was written.
      const value = (part !== undefined && node.t === "s" ? node.parts?.[part] : null) ?? node.src;
      const at = (preferKey ? key : value) ?? node.src ?? key;
      if (at) return toOrigin(at);
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const s = ancestors[i]!.src;
        if (s) return toOrigin(s);
      }
      return definedAt;
    },
    definedAt,
    sourceFiles: [...r.files],
    get removals() {
      removals ??= removalsIn(root).map((x) => renderedRemoval(root, x));
      return removals;
    },
  };
  if (id.kind === "Application") nodes.set(rendered, root);
  return rendered;
}

/**
 * The origin of `at`, its file known at once and its line and column worked out when first read: most rendered
 * objects are asked only for their file, and a line needs the file's line index.
 */
function lazyOrigin(at: Src): Origin {
  let known: Origin | null = null;
  const resolved = (): Origin => (known ??= toOrigin(at));
  return {
    file: at.f.path,
    get line() {
      return resolved().line;
    },
    get column() {
      return resolved().column;
    },
    get endLine() {
      return resolved().endLine;
    },
    get endColumn() {
      return resolved().endColumn;
    },
  };
}

/** A removal as the review sees it: where it is written, and the object as it would be without it. */
function renderedRemoval(root: OMap, { path, removal }: PathRemoval): RenderedRemoval {
  let restored: Record<string, unknown> | null = null;
  return {
    path,
    origin: toOrigin(removal.at),
    restored: () => {
      if (restored !== null) return restored;
      restored = toJS(root) as Record<string, unknown>;
      let parent: unknown = restored;
      for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
      (parent as Record<string, unknown>)[path[path.length - 1] as string] = toJSRestored(removal.value);
      return restored;
    },
  };
}
