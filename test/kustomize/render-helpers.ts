/** Small helpers of the render's tests: text from lines, a successful build, a rendered object, an origin as text. */
import type { JsonPath } from "../../src/core/path.js";
import type { BuildResult, RenderedResource } from "../../src/kustomize/index.js";

export const lines = (...l: string[]): string => `${l.join("\n")}\n`;

export function ok(r: BuildResult): Extract<BuildResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected a render, got: ${r.reason}`);
  return r;
}

export function find(r: Extract<BuildResult, { ok: true }>, kind: string): RenderedResource {
  const res = r.resources.find((x) => x.resource.kind === kind);
  if (!res) throw new Error(`no ${kind}`);
  return res;
}

/** `file:line:column` of where the value (or key) at `path` came from. */
export const at = (res: RenderedResource, path: JsonPath, target: "value" | "key" = "value"): string => {
  const o = res.originOf(path, target);
  return `${o.file}:${o.line}:${o.column}`;
};
