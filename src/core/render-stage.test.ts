import { describe, expect, it } from "@jest/globals";
import { parseYamlFile, type ParsedFile } from "../parse/yaml-file.js";
import { renderStage } from "./render-stage.js";
import { mapSide } from "./repository.js";

/** A base used by two overlays; every file is a changed file the engine reviews (as in a scan). */
const FILES = new Map<string, string>([
  ["base/kustomization.yaml", "resources:\n  - deploy.yaml\n"],
  ["base/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web\n"],
  ["dev/kustomization.yaml", "resources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.0.0\n"],
  ["prod/kustomization.yaml", "resources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 2.0.0\n"],
]);

/** The stage over FILES, with the engine's side of the contract recorded: which parse was asked for, when. */
function stage(files = FILES): { events: string[]; result: ReturnType<typeof renderStage> } {
  const events: string[] = [];
  const parse = (path: string): ParsedFile | undefined => (files.has(path) ? parseYamlFile(path, files.get(path)!) : undefined);
  const result = renderStage({
    // The view lists the changed files too, as a scan's does: each path is there twice.
    view: { head: mapSide(files), changed: [...files.keys()] },
    changed: [...files.keys()],
    overlay: { base: new Map(), head: new Map(files) },
    kept: (_side, path) => (events.push(`kept ${path}`), parse(path)),
    parsed: (_side, path) => (events.push(`parsed ${path}`), parse(path)),
    argoPaths: { base: [], head: [] },
    excludes: () => false,
  });
  return { events, result };
}

describe("the render stage's reads of the engine's parses", () => {
  it("asks for each kustomization once for the plan, and hands it to the render at once (not held until a build)", () => {
    const { events, result } = stage();
    const kustomizations = ["base/kustomization.yaml", "dev/kustomization.yaml", "prod/kustomization.yaml"];
    for (const k of kustomizations) {
      expect(events.filter((e) => e === `kept ${k}`)).toHaveLength(1);
      // Read ahead by the session right after the plan read it: the next event is the render's own read of it.
      expect(events[events.indexOf(`kept ${k}`) + 1]).toBe(`parsed ${k}`);
      expect(events.filter((e) => e === `parsed ${k}`)).toHaveLength(1);
    }
    // Every kustomization was read before the first resource file: before any build.
    const lastPlanRead = Math.max(...kustomizations.map((k) => events.indexOf(`parsed ${k}`)));
    expect(events.indexOf("parsed base/deploy.yaml")).toBeGreaterThan(lastPlanRead);
    // The base's resource is read once although two overlays render it.
    expect(events.filter((e) => e === "parsed base/deploy.yaml")).toHaveLength(1);
    const head = result.sides.head!;
    expect(head.renders.map((r) => [r.root, r.result.ok])).toEqual([
      ["dev", true],
      ["prod", true],
    ]);
    const images = head.renders.map((r) => (r.result.ok ? r.result.resources[0]!.value : null)) as Array<{ spec: { template: { spec: { containers: Array<{ image: string }> } } } }>;
    expect(images.map((v) => v.spec.template.spec.containers[0]!.image)).toEqual(["ghcr.io/acme/web:1.0.0", "ghcr.io/acme/web:2.0.0"]);
  });

  it("a kustomization the read-ahead cannot convert fails its build with the reason, as it did when the build read it", () => {
    const files = new Map(FILES);
    files.set("prod/kustomization.yaml", "resources:\n  - ../base\nimages: [\n");
    const { result } = stage(files);
    const prod = result.sides.head!.renders.find((r) => r.root === "prod")!;
    expect(prod.result.ok).toBe(false);
    expect(prod.result.ok ? "" : prod.result.reason).toMatch(/^prod\/kustomization\.yaml:\d+:\d+: invalid YAML/);
    expect(result.sides.head!.renders.find((r) => r.root === "dev")!.result.ok).toBe(true);
    expect(result.notes).toContainEqual(expect.stringContaining("Kustomize: prod was not rendered (prod/kustomization.yaml:"));
  });
});
