/**
 * The import graph of `src/` (product code: tests and test helpers left out), read with the TypeScript
 * parser so that type-only imports (`import type`, `export type`) are told apart from imports that load
 * a module at run time. `import { type X }` loads the module (verbatimModuleSyntax keeps it), so it counts
 * as a runtime import.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export interface ImportEdge {
  /** Importing file, relative to the repository root, `/`-separated (e.g. `src/pipeline/run-review.ts`). */
  from: string;
  /** Imported file, same form. */
  to: string;
  /** True when nothing of `to` is loaded at run time by this import. */
  typeOnly: boolean;
  /** 1-based line of the import in `from`. */
  line: number;
}

const SKIP = /\.test\.ts$|(^|\/)test-helpers\.ts$|\.d\.ts$/;

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

function resolveSpecifier(fromAbs: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(fromAbs), spec);
  const candidates = [base.replace(/\.js$/, ".ts"), `${base}.ts`, join(base, "index.ts")];
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** The relative imports and re-exports of one TypeScript source text. */
export function importsOf(fileName: string, text: string): Array<{ specifier: string; typeOnly: boolean; line: number }> {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: Array<{ specifier: string; typeOnly: boolean; line: number }> = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (spec && ts.isStringLiteralLike(spec)) out.push({ specifier: spec.text, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, node.importClause?.isTypeOnly === true);
    else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal as ts.Expression, true);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], false);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Every relative import between product files under `srcDir`. */
export function importGraph(repoRoot: string, srcDir = "src"): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const rel = (abs: string) => relative(repoRoot, abs).split(sep).join("/");
  for (const abs of listTs(join(repoRoot, srcDir))) {
    const from = rel(abs);
    if (SKIP.test(from)) continue;
    for (const imp of importsOf(abs, readFileSync(abs, "utf8"))) {
      const target = resolveSpecifier(abs, imp.specifier);
      if (target) edges.push({ from, to: rel(target), typeOnly: imp.typeOnly, line: imp.line });
    }
  }
  return edges;
}

/** `src/github/ports.ts` → `github`; a file directly in `src/` is its own folder (its name). */
export function topFolder(file: string, srcDir = "src"): string {
  const parts = file.split("/");
  const i = parts.indexOf(srcDir);
  return parts[i + 1]!;
}

export interface FolderRules {
  /** [from, to]: no runtime import from folder `from` into folder `to`. */
  noRuntimeImport: ReadonlyArray<readonly [string, string]>;
  /** [from, to]: no import at all (type-only included) from folder `from` into folder `to`. */
  noImport: ReadonlyArray<readonly [string, string]>;
  /** Edges left out of the cycle check (each needs a reason where it is declared). */
  cycleExceptions?: (e: ImportEdge) => boolean;
}

export interface Violation {
  kind: "runtime-import" | "import" | "cycle";
  text: string;
}

/** Strongly connected components of the folder graph with more than one folder (Tarjan). */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = topFolder(e.from);
    const b = topFolder(e.to);
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    if (a !== b) graph.get(a)!.add(b);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return out;
}

/** Every broken rule, each with the file and line that breaks it. */
export function checkImports(edges: readonly ImportEdge[], rules: FolderRules): Violation[] {
  const out: Violation[] = [];
  const where = (e: ImportEdge) => `${e.from}:${e.line} imports ${e.to}`;
  for (const e of edges) {
    const a = topFolder(e.from);
    const b = topFolder(e.to);
    if (a === b) continue;
    if (rules.noImport.some(([f, t]) => f === a && t === b)) out.push({ kind: "import", text: `${a} must not import ${b}: ${where(e)}` });
    else if (!e.typeOnly && rules.noRuntimeImport.some(([f, t]) => f === a && t === b)) {
      out.push({ kind: "runtime-import", text: `${a} must not load ${b} at run time (a type-only import is allowed): ${where(e)}` });
    }
  }
  const counted = rules.cycleExceptions ? edges.filter((e) => !rules.cycleExceptions!(e)) : edges;
  for (const scc of folderCycles(counted)) {
    const inside = new Set(scc);
    const witnesses = counted.filter((e) => topFolder(e.from) !== topFolder(e.to) && inside.has(topFolder(e.from)) && inside.has(topFolder(e.to)));
    const byPair = new Map<string, ImportEdge>();
    for (const e of witnesses) {
      const key = `${topFolder(e.from)} → ${topFolder(e.to)}`;
      if (!byPair.has(key)) byPair.set(key, e);
    }
    out.push({ kind: "cycle", text: `folders ${scc.join(", ")} import each other: ${[...byPair].map(([k, e]) => `${k} (${where(e)})`).join("; ")}` });
  }
  return out;
}
