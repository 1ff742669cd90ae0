/** The build's bookkeeping that the performance work must keep: unique ids across a `resources:` list. */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree } from "./index.js";

const configMap = (name: string, namespace?: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ""}data:\n  a: "1"\n`;

describe("ResMap.AppendAll over a resources list", () => {
  it("refuses an id already added by an earlier entry of the list, naming the kustomization", () => {
    const tree = memoryTree({
      "app/kustomization.yaml": "resources: [a.yaml, b.yaml, c.yaml]\n",
      "app/a.yaml": configMap("one"),
      "app/b.yaml": configMap("two"),
      "app/c.yaml": configMap("one"),
    });
    const r = buildKustomization(tree, "app");
    expect(r).toMatchObject({ ok: false, reason: "app/kustomization.yaml: may not add resource with an already registered id: ConfigMap/one" });
  });

  it("refuses an id a base directory added before a file of the same list", () => {
    const tree = memoryTree({
      "app/kustomization.yaml": "resources: [base, c.yaml]\n",
      "app/base/kustomization.yaml": "resources: [a.yaml]\n",
      "app/base/a.yaml": configMap("one"),
      "app/c.yaml": configMap("one"),
    });
    expect(buildKustomization(tree, "app").ok).toBe(false);
  });

  it("keeps objects the same name tells apart by namespace, in list order", () => {
    const tree = memoryTree({
      "app/kustomization.yaml": "resources: [a.yaml, b.yaml, c.yaml]\nsortOptions:\n  order: fifo\n",
      "app/a.yaml": configMap("one", "x"),
      "app/b.yaml": configMap("one", "y"),
      "app/c.yaml": configMap("one"),
    });
    const r = buildKustomization(tree, "app");
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources.map((x) => x.resource.namespace)).toEqual(["x", "y", null]);
  });

  it("appends a component's resources after those the list added (the ids of both checked together)", () => {
    const tree = memoryTree({
      "app/kustomization.yaml": "resources: [a.yaml]\ncomponents: [comp]\n",
      "app/a.yaml": configMap("one"),
      "app/comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [b.yaml]\n",
      "app/comp/b.yaml": configMap("one"),
    });
    expect(buildKustomization(tree, "app")).toMatchObject({ ok: false, reason: expect.stringContaining("already registered id") });
  });
});

describe("a resource file named in a resources list", () => {
  it("keeps kustomize's load restrictions for a file outside the kustomization's directory", () => {
    const tree = memoryTree({ "app/kustomization.yaml": "resources: [../shared.yaml]\n", "shared.yaml": configMap("one") });
    expect(buildKustomization(tree, "app")).toMatchObject({
      ok: false,
      reason: `resource "../shared.yaml": security; file 'shared.yaml' is not in or below 'app' (kustomize's default load restrictions)`,
    });
    const open = buildKustomization(tree, "app", { loadRestrictions: "none" });
    expect(open.ok && open.files).toEqual(["app/kustomization.yaml", "shared.yaml"]);
  });

  it("keeps the file size limit", () => {
    const tree = memoryTree({ "app/kustomization.yaml": "resources: [a.yaml]\n", "app/a.yaml": configMap("one") });
    expect(buildKustomization(tree, "app", { limits: { maxFileBytes: 10 } })).toMatchObject({ ok: false, reason: "app/a.yaml is larger than 10 bytes" });
  });
});

describe("the review's lenient builds (kubectl fails both, and so does `render`)", () => {
  it("skipMissingGeneratorInputs leaves out a generator whose env or files input is missing, with a note", () => {
    const tree = memoryTree({
      "app/kustomization.yaml": "resources: [cm.yaml]\nsecretGenerator:\n  - name: s\n    envs: [secrets.env]\nconfigMapGenerator:\n  - name: c\n    files: [k=conf/missing.ini]\n  - name: kept\n    literals: [a=b]\n",
      "app/cm.yaml": configMap("one"),
    });
    expect(buildKustomization(tree, "app")).toMatchObject({ ok: false, reason: 'app/kustomization.yaml: generator file "conf/missing.ini" (app/conf/missing.ini) does not exist' });
    const r = buildKustomization(tree, "app", { skipMissingGeneratorInputs: true });
    expect(r.ok && r.resources.map((x) => x.resource.name)).toEqual([expect.stringMatching(/^kept-/), "one"]);
    expect(r.ok && r.notes).toEqual([
      'app/kustomization.yaml: configMapGenerator "c" was left out: its input "conf/missing.ini" is not in the repository (a file the deploy makes?), so what it generates is not judged',
      'app/kustomization.yaml: secretGenerator "s" was left out: its input "secrets.env" is not in the repository (a file the deploy makes?), so what it generates is not judged',
    ]);
  });

  it("generatorsAlone lets a merge generator with nothing to merge into stand for what it writes, under its own name", () => {
    const tree = memoryTree({ "app/kustomization.yaml": "configMapGenerator:\n  - name: argocd-cm\n    behavior: merge\n    literals: [exec.enabled=true]\n" });
    expect(buildKustomization(tree, "app")).toMatchObject({ ok: false, reason: "app/kustomization.yaml: ConfigMap/argocd-cm does not exist; cannot merge or replace" });
    const r = buildKustomization(tree, "app", { generatorsAlone: true });
    expect(r.ok && r.resources.map((x) => [x.resource.name, x.value.data])).toEqual([["argocd-cm", { "exec.enabled": "true" }]]);
  });
});

describe("a rendered object's definedAt", () => {
  it("gives its file, line and column, also when copied or written out as JSON", () => {
    const tree = memoryTree({
      "k/kustomization.yaml": "resources: [r.yaml]\n",
      "k/r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# second\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
    });
    const r = buildKustomization(tree, "k");
    if (!r.ok) throw new Error(r.reason);
    const second = r.resources.find((x) => x.resource.name === "b")!;
    const expected = { file: "k/r.yaml", line: 6, column: 1, endLine: 6, endColumn: 11 };
    expect(second.definedAt.file).toBe("k/r.yaml");
    expect({ ...second.definedAt }).toEqual(expected);
    expect(JSON.parse(JSON.stringify(second.originOf([])))).toEqual(expected);
  });
});
