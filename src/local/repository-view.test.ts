import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repositoryLookup } from "./outside-reads.js";
import { scannedRepositoryView } from "./repository-view.js";

/**
 * `scan DIR` reads, besides the scanned YAML files, every file a kustomization's render may need (generator inputs,
 * JSON patches): the closure of every kustomization, found without parsing the scanned files for Applications.
 */
describe("scannedRepositoryView", () => {
  let dir: string;
  const files: Record<string, string> = {
    // A base used by an overlay, which an Application also points at: its .env is read.
    "apps/base/kustomization.yaml": "resources: [cm.yaml]\nconfigMapGenerator:\n  - name: cfg\n    envs: [cfg.env]\n",
    "apps/base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    "apps/base/cfg.env": "A=1\n",
    "apps/overlay/kustomization.yaml": "resources: [../base]\npatches:\n  - path: patch.json\n    target: {kind: ConfigMap}\n",
    "apps/overlay/patch.json": '[{"op": "add", "path": "/data", "value": {}}]',
    "argocd/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  source: {path: apps/base}\n",
    // Two kustomizations that use each other (no root): their files are read all the same.
    "loop/a/kustomization.yaml": "resources: [../b]\nconfigMapGenerator:\n  - name: a\n    envs: [a.env]\n",
    "loop/a/a.env": "B=2\n",
    "loop/b/kustomization.yaml": "resources: [../a]\n",
    // A file no kustomization reads is not.
    "notes/readme.txt": "hello\n",
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gg-view-"));
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the generator inputs and patches of every kustomization, and nothing else besides the scanned files", async () => {
    const all = new Map(Object.keys(files).map((p) => [p, join(dir, p)]));
    const scanned = Object.entries(files)
      .filter(([p]) => p.endsWith(".yaml"))
      .map(([path, content]) => ({ path, content }));
    const { view, parsed } = await scannedRepositoryView(all, scanned, () => false);
    const head = view.head!;
    // The kustomizations were parsed for the plan; the review gets them (and does not parse them again).
    expect([...parsed.keys()].sort()).toEqual(["apps/base/kustomization.yaml", "apps/overlay/kustomization.yaml", "loop/a/kustomization.yaml", "loop/b/kustomization.yaml"]);
    expect(parsed.get("apps/base/kustomization.yaml")!.docs[0]!.value).toEqual({ resources: ["cm.yaml"], configMapGenerator: [{ name: "cfg", envs: ["cfg.env"] }] });
    const text = (p: string) => {
      const c = head.read(p);
      return c === null ? null : typeof c === "string" ? c : Buffer.from(c as Uint8Array).toString("utf8");
    };
    expect(text("apps/base/cfg.env")).toBe("A=1\n");
    expect(text("apps/overlay/patch.json")).toBe(files["apps/overlay/patch.json"]);
    expect(text("loop/a/a.env")).toBe("B=2\n");
    expect(text("notes/readme.txt")).toBeNull();
    expect([...head.paths].sort()).toEqual(Object.keys(files).sort());
  });

  it("with a lookup, what the scanned kustomizations name beyond them joins the side (looked up by the names alone), never the changed paths", async () => {
    // `scan apps/overlay`: its `../base` is beyond the scanned tree; the base's own files follow.
    const all = new Map([["apps/overlay/kustomization.yaml", join(dir, "apps/overlay/kustomization.yaml")], ["apps/overlay/patch.json", join(dir, "apps/overlay/patch.json")]]);
    const scanned = [{ path: "apps/overlay/kustomization.yaml", content: files["apps/overlay/kustomization.yaml"]! }];
    const asked: string[] = [];
    const lookup = repositoryLookup(dir);
    const { view } = await scannedRepositoryView(all, scanned, () => false, undefined, (p) => (asked.push(p), lookup(p)));
    expect(asked).toEqual(["apps/base"]);
    expect([...view.head!.paths].sort()).toEqual(["apps/base/cfg.env", "apps/base/cm.yaml", "apps/base/kustomization.yaml", "apps/overlay/kustomization.yaml", "apps/overlay/patch.json"]);
    expect([...view.changed!].sort()).toEqual(["apps/overlay/kustomization.yaml", "apps/overlay/patch.json"]);
    expect(view.head!.read("apps/base/cfg.env")).not.toBeNull();
  });
});
