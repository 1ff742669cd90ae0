import { isPlainObject } from "../../parse/classify.js";
import { getIn } from "../../parse/workloads.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { appSources, appSpecs } from "./_app-common.js";
import { listElements } from "./_app-generators.js";

/** Environment names that are not production, as path, project or namespace segments (`overlays/staging`, `staging-web`). */
const NON_PRODUCTION = new Set(["dev", "develop", "development", "test", "testing", "staging", "stage", "qa", "preview", "sandbox"]);
const PRODUCTION = new Set(["prod", "production", "prd"]);

/** The words of a value written literally (`{{ }}` parts left out: what they become is not known here). */
function segments(v: unknown): string[] {
  if (typeof v !== "string") return [];
  return v.replace(/\{\{.*?\}\}/g, " ").toLowerCase().split(/[^a-z0-9]+/).filter((s) => s !== "");
}

/**
 * Whether an ApplicationSet's template says its Applications are not production ones: its project, a source path or
 * its destination namespace literally names a non-production environment (`project: staging`, `overlays/staging`,
 * `staging-web`), and nothing it writes (those, the destination's cluster, the Applications' name, list generator
 * values) names production. False for any other document: its file's path alone decides.
 */
export function namesOnlyNonProduction(doc: ParsedDoc): boolean {
  const ref = appSpecs(doc).find((r) => r.fromTemplate);
  if (!ref) return false;
  const destination = isPlainObject(ref.spec.destination) ? ref.spec.destination : {};
  const named = [ref.spec.project, destination.namespace, ...appSources(ref).map((s) => s.source.path)].flatMap(segments);
  if (!named.some((s) => NON_PRODUCTION.has(s))) return false;
  const elements = listElements(doc.value).flatMap((le) => Object.values(le.element));
  const written = [...named, ...[destination.name, destination.server, getIn(doc.value, ["spec", "template", "metadata", "name"]), ...elements].flatMap(segments)];
  return !written.some((s) => PRODUCTION.has(s));
}
