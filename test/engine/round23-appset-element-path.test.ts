/**
 * Held-out round 23 (an ApplicationSet whose list element has `chartPath: apps/istiod/overlays/prod` and whose template
 * has `path: '{{chartPath}}'`): a pull request renaming the overlay got the blocking "points at a path that does not
 * exist" finding at the template's `path:` line, column 1, not naming the element. It is at the element's value, for
 * any parameter name (fasttemplate or Go template, nested keys too), and the message names the element; a plain
 * Application's is at its `path:` value's column.
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { mapSide } from "../../src/core/repository.js";
import { review, type ReviewResult } from "../../src/core/review.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { NOW, changesBetween, lines, type Files } from "./kustomize-helpers.js";

function reviewOf(base: Files, head: Files): ReviewResult {
  const { changes, changed } = changesBetween(base, head);
  const repository = { base: mapSide(new Map(Object.entries(base))), head: mapSide(new Map(Object.entries(head))), changed, identity: "acme/apps" };
  return review({ changes, config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: NOW, repository });
}

const overlay = lines("resources:", "  - cm.yaml");
const cm = (name: string) => lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: ${name}}`, "data: {a: b}");

/** The repository with the istiod overlays, and the ApplicationSet in `applicationsets/prod.yaml`. */
function repository(set: string): Files {
  return {
    "apps/istiod/overlays/dev/kustomization.yaml": overlay,
    "apps/istiod/overlays/dev/cm.yaml": cm("istiod-dev"),
    "apps/istiod/overlays/prod/kustomization.yaml": overlay,
    "apps/istiod/overlays/prod/cm.yaml": cm("istiod-prod"),
    "applicationsets/prod.yaml": set,
  };
}

/** The overlay renamed (prod → production), the ApplicationSet left as it was. */
function renamed(files: Files): Files {
  const out: Files = {};
  for (const [p, c] of Object.entries(files)) out[p.replace("apps/istiod/overlays/prod/", "apps/istiod/overlays/production/")] = c;
  return out;
}

function applicationSet(elements: readonly string[], path: string, goTemplate = false): string {
  return lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: ApplicationSet",
    "metadata: {name: istiod, namespace: argocd}",
    "spec:",
    ...(goTemplate ? ["  goTemplate: true"] : []),
    "  generators:",
    "    - list:",
    "        elements:",
    ...elements,
    "  template:",
    "    metadata: {name: istiod}",
    "    spec:",
    "      project: default",
    "      source:",
    "        repoURL: https://github.com/acme/apps.git",
    "        targetRevision: main",
    `        path: '${path}'`,
    "      destination: {server: https://kubernetes.default.svc, namespace: istio-system}",
  );
}

const parseErrors = (r: ReviewResult) => r.findings.filter((f) => f.ruleId === "guard/parse-error");
const at = (r: ReviewResult): string[] => parseErrors(r).map((f) => `${f.file}:${f.line}:${f.column} ${f.status}`);

describe("an ApplicationSet list element left naming a renamed overlay", () => {
  it("`{{chartPath}}`: at the element's chartPath value, naming the element (held-out round 23)", () => {
    const elements = ["          - name: istiod-dev", "            chartPath: apps/istiod/overlays/dev", "          - name: istiod-prod", "            chartPath: apps/istiod/overlays/prod"];
    const base = repository(applicationSet(elements, "{{chartPath}}"));
    const r = reviewOf(base, renamed(base));
    expect(at(r)).toEqual(["applicationsets/prod.yaml:11:24 new"]);
    expect(parseErrors(r)[0]!.message).toContain('generates from its list element "name: istiod-prod" (chartPath, line 11) points at path "apps/istiod/overlays/prod"');
    expect(r.conclusion).toBe("failure");
  });

  it("Go template `{{.overlay}}` and a nested `{{ .values.path }}`: at the element's value", () => {
    const flat = ["          - {name: dev, overlay: apps/istiod/overlays/dev}", "          - {name: prod, overlay: apps/istiod/overlays/prod}"];
    const base = repository(applicationSet(flat, "{{.overlay}}", true));
    const r = reviewOf(base, renamed(base));
    expect(at(r)).toEqual(["applicationsets/prod.yaml:10:35 new"]);
    expect(parseErrors(r)[0]!.message).toContain('list element "name: prod" (overlay, line 10)');

    const nested = ["          - name: dev", "            values: {path: apps/istiod/overlays/dev}", "          - name: prod", "            values:", "              path: apps/istiod/overlays/prod"];
    const b = repository(applicationSet(nested, "{{ .values.path }}", true));
    const n = reviewOf(b, renamed(b));
    expect(at(n)).toEqual(["applicationsets/prod.yaml:13:21 new"]);
    expect(parseErrors(n)[0]!.message).toContain('list element "name: prod" (values.path, line 13)');
  });

  it("a path of several parameters: at the last one's value (the overlay's directory)", () => {
    const elements = ["          - {app: istiod, env: dev}", "          - {app: istiod, env: prod}"];
    const base = repository(applicationSet(elements, "apps/{{app}}/overlays/{{env}}"));
    const r = reviewOf(base, renamed(base));
    expect(at(r)).toEqual(["applicationsets/prod.yaml:9:32 new"]);
    expect(parseErrors(r)[0]!.message).toContain('list element "app: istiod" (env, line 9)');
  });

  it("a path filled from elements of two lists (a matrix): at the template's path:, not at one list's elements (held-out round 24)", () => {
    const matrix = applicationSet([], "apps/{{app}}/overlays/{{env}}").replace(
      "    - list:\n        elements:\n",
      "    - matrix:\n        generators:\n          - list:\n              elements:\n                - {app: istiod}\n          - list:\n              elements:\n                - {env: dev}\n                - {env: prod}\n",
    );
    expect(matrix).toContain("- matrix:");
    const base = repository(matrix);
    const r = reviewOf(base, renamed(base));
    expect(at(r)).toEqual(["applicationsets/prod.yaml:22:15 new"]);
  });
});

describe("an Application left pointing at a renamed overlay", () => {
  it("is at its path: value's column, not column 1", () => {
    const app = lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: istiod, namespace: argocd}",
      "spec:",
      "  project: default",
      "  source:",
      "    repoURL: https://github.com/acme/apps.git",
      "    targetRevision: main",
      "    path: apps/istiod/overlays/prod",
      "  destination: {server: https://kubernetes.default.svc, namespace: istio-system}",
    );
    const base = repository(app);
    expect(at(reviewOf(base, renamed(base)))).toEqual(["applicationsets/prod.yaml:9:11 new"]);
  });
});
