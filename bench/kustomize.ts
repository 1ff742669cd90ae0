/**
 * `node .bench-dist/bench/kustomize.js [corpus]` (after `tsc -p tsconfig.bench.json`): in-process Kustomize render of every kustomization root of a corpus,
 * against parsing the same files (the files the renders read). The engine budget (DESIGN.md) is total ≤ 1.5×
 * parse with rendering on; the render can reuse the engine's parsed documents (`parsedDocuments`).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseAllDocuments, type Document } from "yaml";
import { buildKustomizationGraph, createRenderSession, isKustomizationFile, memoryTree } from "../src/kustomize/index.js";

const corpus = resolve(process.argv[2] ?? "../shared/corpus");
const files: string[] = [];
const walk = (d: string): void => {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(relative(corpus, p).split("\\").join("/"));
  }
};
walk(corpus);
const content = new Map(files.map((f) => [f, readFileSync(join(corpus, f), "utf8")]));
const tree = memoryTree(content);
const graph = buildKustomizationGraph(
  files.filter(isKustomizationFile).map((path) => ({ path, text: content.get(path)! })),
  files,
);
const roots = graph.roots();
const closure = [...new Set(roots.flatMap((r) => graph.closure(r)))];

const parseAll = (): void => {
  for (const f of closure) for (const d of parseAllDocuments(content.get(f)!)) d.toJS();
};
let rendered = 0;
const render = (parsed?: Map<string, Document.Parsed[]>) => (): void => {
  const session = createRenderSession(tree, parsed ? { parsedDocuments: (p) => parsed.get(p) ?? null } : {});
  rendered = 0;
  for (const r of roots) {
    const b = session.build(r);
    if (b.ok) {
      rendered++;
      for (const x of b.resources) void x.value;
    }
  }
};
const cache = new Map(closure.map((f) => [f, parseAllDocuments(content.get(f)!) as Document.Parsed[]]));
const median = (fn: () => void, n = 7): number => {
  for (let i = 0; i < 3; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return ts.sort((a, b) => a - b)[n >> 1]!;
};
const parse = median(parseAll);
const alone = median(render());
const shared = median(render(cache));
process.stdout.write(
  [
    `Kustomize render of ${corpus}: ${roots.length} roots, ${rendered} rendered in process, ${closure.length} files read`,
    `  parse of those files (yaml parse + toJS):        ${parse.toFixed(1)} ms`,
    `  render of every root, parsing on its own:        ${alone.toFixed(1)} ms (${(alone / parse).toFixed(2)}x parse)`,
    `  render of every root, reusing parsed documents:  ${shared.toFixed(1)} ms (${(shared / parse).toFixed(2)}x parse)`,
    "",
  ].join("\n"),
);
