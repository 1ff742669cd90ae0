/**
 * Cases checked against the real Kustomize without running it: each directory of kubectl-cases holding a
 * `kubectl.out` is a kustomization root, and the file is what `kubectl kustomize DIR` (Kustomize v5.5.0) printed
 * for it; a directory holding a `kubectl.err` is a root kubectl refused, with its error. The in-process render must
 * print exactly the same text, or refuse too (with the reason listed below). To add a case: write the
 * kustomization, then `kubectl kustomize DIR > DIR/kubectl.out` (or its error into `DIR/kubectl.err`).
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { diskTree } from "../../src/cli/render.js";
import { createRenderSession, printYaml } from "../../src/kustomize/index.js";

const CASES = "test/kustomize/kubectl-cases";

/** What our reason says for each root kubectl refuses (the words of kustomize's own error where we can). */
const REFUSED: Record<string, string> = {
  // One `patches` entry of several strategic-merge patches (documents, or the items of a List) with a target.
  "refused/patch-docs-target": "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field",
  "refused/patch-list-items-target": "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field",
  // A List with no items is no strategic-merge patch; kustomize then reads it as JSON 6902 and fails.
  "refused/patch-empty-list": "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
  "refused/psm-empty-list": "patch appears to be empty",
  "refused/psm-comment-only": "patch appears to be empty",
  "refused/openapi-version": "the specified OpenAPI version is not built in",
  // kustomize follows a CRD definition's $ref to itself until Go's stack overflows.
  "refused/crds-ref-cycle": "deeper than 64 (a cycle?)",
  // A generator config written inline as a map (kustomize takes paths, or configs as text: strings only).
  "refused/generators-map-entry": "kustomization.yaml: generators[0]: expected a string",
  // A `crds:` file is decoded into kustomize's map of OpenAPI definitions: a CRD manifest (its apiVersion a string),
  // a list, a Schema that is a string, a property that is a number, Dependencies that is a string all fail it.
  "refused/crds-crd-manifest": "json: cannot unmarshal string into Go value of type accumulator.OpenAPIDefinition",
  "refused/crds-top-level-list": "json: cannot unmarshal array into Go value of type accumulator.nameToApiMap",
  "refused/crds-schema-string": "json: cannot unmarshal string into Go value of type spec.Schema",
  "refused/crds-properties-number": "json: cannot unmarshal number into Go value of type spec.Schema",
  "refused/crds-dependencies-string": "json: cannot unmarshal string into Go struct field OpenAPIDefinition.Dependencies of type []string",
  // "v\u0080": go-yaml reads the escape; kustomize writes the character back raw and cannot read it again.
  "refused/escaped-control-character": "is a control character kustomize cannot write back",
  // Nothing but apiVersion and kind (a directory whose charts a script installs), or only Go zero values: null lists,
  // an empty string, the deprecated `bases`/`imageTags` empty. Argo CD's kustomize refuses it in the same words.
  "refused/empty-type-meta-only": "kustomization.yaml is empty",
  "refused/empty-zero-fields": "kustomization.yaml is empty",
  // The same as a base: the overlay built on it is refused.
  "refused/empty-base/overlay": "refused/empty-base/base/kustomization.yaml is empty",
  // JSON 6902 `add` builds no missing parent (kubectl: "add operation does not apply: doc is missing path").
  "refused/json6902-add-missing-parent": 'add /spec/template/spec/containers/0/securityContext/privileged: path not found (missing "securityContext")',
  // A kustomization is read with go-yaml v2 (sigs.k8s.io/yaml): `.inf` is a float JSON cannot hold, and `0o17` is
  // the int 15 (Go's ParseInt), where YAML 1.1 reads a string.
  "refused/kustomization-infinity": "a value that is not a finite number (.inf, .nan) fails kustomize's conversion to JSON",
  "refused/newtag-0o-octal": "images[0].newTag: expected a string",
};

/**
 * Roots kubectl builds that we refuse on purpose (the root then falls back to file-by-file review), with our reason:
 * their `kubectl.out` says what a render would have to print.
 */
const FALLBACK: Record<string, string> = {
  // A base's openapi schema takes effect in the middle of kustomize's build: it replaces the built-in schema, or
  // joins it when something was merged before, so the result depends on kustomize's order of work.
  "openapi/fallback-base-schema/overlay": "openapi in a kustomization other than the one built",
  // The schema's GET paths make a custom kind cluster-scoped: kustomize's namespace transformer then leaves it alone.
  "openapi/fallback-paths-cluster-scoped": "the openapi schema makes example.com/v1 ClusterThing cluster-scoped",
  // The label's value names the kustomize build ("kustomize-(devel)" in kubectl, "kustomize-v5.x.y" in Argo CD's).
  "buildmetadata/fallback-managed-by": "buildMetadata: managedByLabel is not supported",
  // Every transformer that touched an object, in kustomize's order of work: not reproduced.
  "buildmetadata/fallback-transformer-annotations": "buildMetadata: transformerAnnotations is not supported",
  // A patch removes an object's annotations: kustomize then writes the patch as its origin.
  "buildmetadata/fallback-origin-removed": "a transformer removed the object's origin annotation",
};

function roots(dir = CASES, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) roots(p, out);
  }
  if (existsSync(join(dir, "kubectl.out")) || existsSync(join(dir, "kubectl.err"))) out.push(relative(CASES, dir).split("\\").join("/"));
  return out;
}

describe("renders as kubectl kustomize printed it (stored outputs)", () => {
  const session = createRenderSession(diskTree(CASES));
  const all = roots();
  const built = all.filter((r) => existsSync(join(CASES, r, "kubectl.out")) && !(r in FALLBACK));
  const refused = all.filter((r) => existsSync(join(CASES, r, "kubectl.err")));

  it("every refused case says what we refuse", () => {
    expect(refused.sort()).toEqual(Object.keys(REFUSED).sort());
  });

  it.each(built)("%s", (root) => {
    const r = session.build(root);
    if (!r.ok) throw new Error(`${root}: not rendered: ${r.reason}`);
    expect(printYaml(r.resources.map((x) => x.value))).toBe(readFileSync(join(CASES, root, "kubectl.out"), "utf8"));
  });

  it.each(refused)("%s is refused, as kubectl refuses it", (root) => {
    const r = session.build(root);
    expect(r.ok ? "rendered" : r.reason).toContain(REFUSED[root]);
  });

  it.each(Object.keys(FALLBACK))("%s (kubectl builds it) is not rendered, with a reason", (root) => {
    expect(existsSync(join(CASES, root, "kubectl.out"))).toBe(true);
    const r = session.build(root);
    expect(r.ok ? "rendered" : r.reason).toContain(FALLBACK[root]);
  });
});
