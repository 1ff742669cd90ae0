/** Shared helpers of the render's origin tests: a built result's objects and `file:line:column` of a value. */
import type { JsonPath } from "../../src/core/path.js";
import type { BuildResult, RenderedResource } from "../../src/kustomize/index.js";

export const lines = (...l: string[]) => `${l.join("\n")}\n`;

export function ok(r: BuildResult): Extract<BuildResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected a render, got: ${r.reason}`);
  return r;
}

export function find(r: Extract<BuildResult, { ok: true }>, kind: string): RenderedResource {
  const res = r.resources.find((x) => x.resource.kind === kind);
  if (!res) throw new Error(`no ${kind}`);
  return res;
}

/** Where the value at `path` came from, as `file:line:column`. */
export const at = (res: RenderedResource, path: JsonPath) => {
  const o = res.originOf(path);
  return `${o.file}:${o.line}:${o.column}`;
};

/** The first container of a workload's pod template. */
export const C0 = ["spec", "template", "spec", "containers", 0] as const;
