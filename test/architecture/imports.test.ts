import { describe, expect, it } from "@jest/globals";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkImports, folderCycles, importGraph, importsOf, type FolderRules, type ImportEdge } from "./import-graph.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** The pure part of the product: no I/O, and no knowledge of the adapters around it. */
const PURE = ["core", "rules", "parse", "report", "kustomize"] as const;
/** Adapters: GitHub, the decision store, git and the file system, the Probot app, the CLI, Lambda, AWS. */
const ADAPTERS = ["github", "store", "local", "app", "cli", "lambda", "aws"] as const;

export const RULES: FolderRules = {
  // The GitHub adapter implements the pipeline's ports, so it may import their types; it never runs pipeline code.
  noRuntimeImport: [["github", "pipeline"]],
  noImport: [
    // The pipeline speaks in its own terms: it knows no GitHub type or function, and no AWS adapter (facts such as
    // ECR scans reach it through the neutral FactsSource port of src/facts, built by the App).
    ["pipeline", "github"],
    ["pipeline", "aws"],
    // The GitHub adapter does not depend on slash-command handling (the app wires the two together).
    ["github", "slash"],
    ...PURE.flatMap((p) => ADAPTERS.map((a) => [p, a] as const)),
  ],
  // src/parse is frozen for now (other work depends on it) and reads the shared vocabulary in core/types.ts and
  // core/path.ts (plain types and a path formatter that import nothing). src/kustomize (which the engine renders
  // with) reads the same two for its types, and core/regex-safety.ts (guards for the patterns a pull request
  // writes, importing nothing) for its patch targets. Those edges are the one accepted exception to "no cycle
  // between folders"; moving the three modules into a vocabulary folder of their own removes it.
  cycleExceptions: (e) => (e.from.startsWith("src/parse/") || e.from.startsWith("src/kustomize/")) && ["src/core/types.ts", "src/core/path.ts", "src/core/regex-safety.ts"].includes(e.to),
};

describe("import rules of src/", () => {
  const edges = importGraph(ROOT);

  it("reads the real graph (sanity: the engine imports the parser)", () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from === "src/core/review.ts" && e.to === "src/parse/yaml-file.ts" && !e.typeOnly)).toBe(true);
  });

  it("no runtime import between the pipeline and the GitHub adapter, no adapter import in core, rules, parse or report, no cycle between folders", () => {
    expect(checkImports(edges, RULES).map((v) => v.text)).toEqual([]);
  });
});

describe("the import check itself", () => {
  const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly, line: 1 });

  it("tells type-only imports from imports that load the module", () => {
    const found = importsOf(
      "x.ts",
      [
        'import type { A } from "./a.js";',
        'import { type B } from "./b.js";',
        'import C from "./c.js";',
        'export type { D } from "./d.js";',
        'export * from "./e.js";',
        'const f = await import("./f.js");',
        'type G = typeof import("./g.js");',
        'import "node:fs";',
      ].join("\n"),
    );
    expect(found.map((i) => [i.specifier, i.typeOnly])).toEqual([
      ["./a.js", true],
      ["./b.js", false],
      ["./c.js", false],
      ["./d.js", true],
      ["./e.js", false],
      ["./f.js", false],
      ["./g.js", true],
      ["node:fs", false],
    ]);
  });

  it("fails on a runtime import from github into pipeline, and allows a type-only one", () => {
    expect(checkImports([edge("src/github/ports.ts", "src/pipeline/ports.ts")], RULES).map((v) => v.kind)).toEqual(["runtime-import"]);
    expect(checkImports([edge("src/github/ports.ts", "src/pipeline/ports.ts", true)], RULES)).toEqual([]);
  });

  it("fails on any import from pipeline into github, type-only included", () => {
    expect(checkImports([edge("src/pipeline/run.ts", "src/github/blobs.ts", true)], RULES).map((v) => v.kind)).toEqual(["import"]);
  });

  it("fails on any import from github into slash", () => {
    expect(checkImports([edge("src/github/people.ts", "src/slash/handlers.ts", true)], RULES).map((v) => v.kind)).toEqual(["import"]);
  });

  it.each(PURE.flatMap((p) => ADAPTERS.map((a) => [p, a])))("fails on an import from %s into %s", (p, a) => {
    const v = checkImports([edge(`src/${p}/x.ts`, `src/${a}/y.ts`, true)], RULES);
    expect(v.map((x) => x.kind)).toEqual(["import"]);
    expect(v[0]!.text).toContain(`src/${p}/x.ts:1 imports src/${a}/y.ts`);
  });

  it("fails on a cycle between folders, naming an import on each side", () => {
    const cycle = [edge("src/slash/a.ts", "src/store/b.ts", true), edge("src/store/b.ts", "src/local/c.ts"), edge("src/local/c.ts", "src/slash/d.ts")];
    expect(folderCycles(cycle)).toEqual([["local", "slash", "store"]]);
    const v = checkImports(cycle, RULES);
    expect(v.map((x) => x.kind)).toEqual(["cycle"]);
    expect(v[0]!.text).toContain("src/store/b.ts:1 imports src/local/c.ts");
  });

  it("does not count the declared parse → core vocabulary edges, and counts any other parse → core edge", () => {
    const engine = edge("src/core/review.ts", "src/parse/yaml-file.ts");
    expect(checkImports([engine, edge("src/parse/yaml-file.ts", "src/core/types.ts")], RULES)).toEqual([]);
    expect(checkImports([engine, edge("src/parse/yaml-file.ts", "src/core/policy.ts")], RULES).map((v) => v.kind)).toEqual(["cycle"]);
  });

  it("does not count the kustomize → core vocabulary edges either, and counts any other kustomize → core edge", () => {
    const engine = edge("src/core/render-stage.ts", "src/kustomize/index.ts");
    expect(checkImports([engine, edge("src/kustomize/types.ts", "src/core/types.ts", true)], RULES)).toEqual([]);
    expect(checkImports([engine, edge("src/kustomize/build.ts", "src/core/policy.ts")], RULES).map((v) => v.kind)).toEqual(["cycle"]);
  });
});
