// `node scripts/corpus-findings.mjs [--corpus DIR]... [--out FILE] [--no-kubectl]` (after `npm run build`):
// scans every repository of the corpus (default ../shared/corpus) with the built CLI twice — `--no-render` (each
// file on its own, as before issue 11) and with the in-process Kustomize render — and writes
// docs/kustomize-corpus.md: findings per rule before/after, every finding that disappeared grouped by cause
// (with the file and line that explains it), every finding that appeared at its rendered origin, and a
// cross-check of each rendered root's findings against the rules run on `kubectl kustomize ROOT`'s output.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LineCounter, parseAllDocuments } from "yaml";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin/gitops-guard.js");
if (!existsSync(join(ROOT, "dist/cli/main.js"))) {
  process.stderr.write("corpus-findings: dist/ is missing; run `npm run build` first\n");
  process.exit(2);
}
const { buildKustomizationGraph, createRenderSession, isKustomizationFile } = await import(join(ROOT, "dist/kustomize/index.js"));
const { diskTree } = await import(join(ROOT, "dist/cli/render.js"));
const { ALL_RULES } = await import(join(ROOT, "dist/rules/index.js"));
const { applicationSourcePaths } = await import(join(ROOT, "dist/core/render-plan.js"));

const { values: opts } = parseArgs({
  options: { corpus: { type: "string", multiple: true }, out: { type: "string" }, "no-kubectl": { type: "boolean" } },
  strict: true,
});
// Each corpus folder holds repositories, one per subdirectory.
const CORPORA = (opts.corpus ?? [join(ROOT, "../shared/corpus")]).map((c) => resolve(c));
const OUT = resolve(opts.out ?? join(ROOT, "docs/kustomize-corpus.md"));
const DOC_RULES = new Set(ALL_RULES.filter((r) => r.checkDoc).map((r) => r.meta.id));

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI

function scan(cwd, extra) {
  const args = [BIN, "scan", ".", "--format", "json", "--no-ecr", ...extra];
  let stdout;
  try {
    stdout = execFileSync(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    // Exit 1 is "a finding at or above --fail-on": the report is still on stdout.
    if (err.status !== 1) throw new Error(`gitops-guard ${args.slice(1).join(" ")} (in ${cwd}) exited ${err.status}: ${err.stderr}`);
    stdout = err.stdout;
  }
  return JSON.parse(stdout);
}

function kubectl(args, cwd) {
  try {
    return { ok: true, out: execFileSync("kubectl", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (err) {
    return { ok: false, out: String(err.stderr ?? err.message).trim().split("\n").pop() };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Files, paths, the repository's kustomizations

function walk(root, dir = root, out = []) {
  for (const name of readdirSync(dir).sort()) {
    if (name === ".git" || name === "node_modules") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(root, p, out);
    else out.push(relative(root, p).split("\\").join("/"));
  }
  return out;
}

/** `spec.containers[0]["a.b"]` → ["spec", "containers", 0, "a.b"] (the inverse of the engine's formatPath). */
function parsePath(text) {
  const out = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  for (let m; (m = re.exec(text)); ) out.push(m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? JSON.parse(m[2]) : m[3]);
  return out;
}

function at(value, path) {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = v[seg];
  }
  return v;
}

/** Every leaf path under `path` of a value (leaves: scalars, empty maps and lists). */
function leaves(value, path, out = []) {
  const v = at(value, path);
  if (v !== null && typeof v === "object" && Object.keys(v).length > 0) {
    for (const k of Object.keys(v)) leaves(value, [...path, Array.isArray(v) ? Number(k) : k], out);
  } else if (v !== undefined) out.push(path);
  return out;
}

const loc = (o) => `${o.file}:${o.line}`;

/** The document of a file (as written) that holds a line, as plain data. */
function rawDocument(repo, file, line) {
  const lc = new LineCounter();
  const docs = parseAllDocuments(Buffer.from(repo.tree.readFile(file)).toString("utf8"), { lineCounter: lc });
  let found = null;
  for (const d of docs) if (d.contents && lc.linePos(d.contents.range[0]).line <= line) found = d;
  return found ? found.toJS() : null;
}

/** The repository's kustomization graph and a render of each root (as the scan renders them). */
function renderRepository(dir) {
  const paths = walk(dir);
  const tree = diskTree(dir);
  const text = (path) => Buffer.from(tree.readFile(path)).toString("utf8");
  const kustomizations = paths.filter(isKustomizationFile).map((path) => ({ path, text: text(path) }));
  const graph = buildKustomizationGraph(kustomizations, paths);
  // Like the scan: every root, plus the directories Argo CD Applications of the repository point at.
  const argoPaths = paths.filter((p) => /\.ya?ml$/.test(p)).flatMap((p) => applicationSourcePaths(text(p)));
  const session = createRenderSession(tree);
  const renders = graph.roots(argoPaths).map((root) => ({ root, result: session.build(root) }));
  // A file is "referenced by" the kustomizations that name it directly.
  const referencedBy = new Map();
  for (const node of graph.nodes.values()) for (const f of node.reads) referencedBy.set(f, [...(referencedBy.get(f) ?? []), node.file]);
  return { paths, tree, graph, renders, referencedBy };
}

// ---------------------------------------------------------------------------------------------------------------
// Before/after

const key = (f) => `${f.ruleId}\u0000${f.file}\u0000${f.line}\u0000${f.column}`;

function difference(before, after) {
  const pool = new Map();
  for (const f of after) pool.set(key(f), [...(pool.get(key(f)) ?? []), f]);
  const disappeared = [];
  for (const f of before) {
    const same = pool.get(key(f));
    if (same?.length) same.shift();
    else disappeared.push(f);
  }
  const back = new Map();
  for (const f of before) back.set(key(f), (back.get(key(f)) ?? 0) + 1);
  const appeared = [];
  for (const f of after) {
    const n = back.get(key(f)) ?? 0;
    if (n > 0) back.set(key(f), n - 1);
    else appeared.push(f);
  }
  return { disappeared, appeared };
}

function perRule(before, after, disappeared, appeared) {
  const rows = new Map();
  const row = (id) => rows.get(id) ?? rows.set(id, { before: 0, after: 0, disappeared: 0, appeared: 0 }).get(id);
  for (const f of before) row(f.ruleId).before++;
  for (const f of after) row(f.ruleId).after++;
  for (const f of disappeared) row(f.ruleId).disappeared++;
  for (const f of appeared) row(f.ruleId).appeared++;
  return [...rows].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Why a finding of the file-by-file review is not in the rendered one. Categories (the key) and, per finding,
 * the evidence: the overlay line that sets the value, the kustomization that reads the file as a patch, …
 */
function explainDisappeared(f, repo) {
  const ok = repo.renders.filter((r) => r.result.ok);
  const readers = ok.filter((r) => r.result.files.includes(f.file));
  if (readers.length === 0) {
    return { cause: "UNEXPECTED: the file is read by no rendered root (it should still be judged on its own)", evidence: "" };
  }
  const roots = readers.map((r) => r.root || ".");
  const defined = readers.flatMap((r) => r.result.resources.filter((x) => x.definedAt.file === f.file).map((x) => ({ root: r.root || ".", x })));
  if (defined.length === 0) {
    const by = repo.referencedBy.get(f.file) ?? [];
    return {
      cause: "a patch (or generator input) file: its documents are merged into the objects it targets, never applied on their own",
      evidence: `named by ${by.join(", ") || "?"}; rendered through ${roots.join(", ")}`,
    };
  }
  // The rendered object(s) defined by the document the finding was in: same kind, the last document starting at or before the line.
  const sameKind = defined.filter((d) => d.x.resource.kind === f.resource?.kind && d.x.definedAt.line <= f.line);
  const start = Math.max(0, ...sameKind.map((d) => d.x.definedAt.line));
  const objects = sameKind.filter((d) => d.x.definedAt.line === start);
  if (objects.length === 0) {
    return { cause: "the object is not in any render that reads its file (removed by `$patch: delete`, or not a resource there)", evidence: `rendered through ${roots.join(", ")}` };
  }
  const path = parsePath(f.path ?? "");
  const raw = rawDocument(repo, f.file, f.line);
  const fixes = new Set();
  for (const { root, x } of objects) {
    const moved = leaves(x.value, path).filter((leaf) => x.originOf(leaf).file !== f.file);
    // Cite the values the overlay changed or added (not, say, the image tag when the finding is about resources).
    const added = moved.filter((leaf) => at(raw, leaf) === undefined);
    const changed = moved.filter((leaf) => JSON.stringify(at(raw, leaf)) !== JSON.stringify(at(x.value, leaf)));
    for (const leaf of added.length ? added : changed.length ? changed : moved) fixes.add(`${loc(x.originOf(leaf))} (${root})`);
  }
  if (fixes.size === 0) {
    return { cause: "UNEXPECTED: the rendered object has the same values at the finding's path, yet the rule no longer reports it", evidence: `rendered through ${roots.join(", ")}` };
  }
  const list = [...fixes];
  const kinds = new Set(list.map((l) => (isKustomizationFile(l.split(":")[0]) ? "kustomization" : "patch")));
  const cause = kinds.has("kustomization") && kinds.size === 1
    ? "a base object whose value the overlay's kustomization sets (images:, an inline patch, a generator, namespace:)"
    : "a base object whose setting an overlay's or component's patch file sets";
  return { cause, evidence: `set at ${list.slice(0, 4).join(", ")}${list.length > 4 ? ` and ${list.length - 4} more` : ""}` };
}

function explainAppeared(f, repo) {
  if (!f.renderedFrom) return { cause: "a finding of a file judged on its own (not rendered) that is new at this line", evidence: "" };
  const how = isKustomizationFile(f.file)
    ? "introduced by a kustomization (images:, an inline patch, a generator, namespace:)"
    : (repo.referencedBy.get(f.file) ?? []).length > 0 && !repo.renders.some((r) => r.result.ok && r.result.resources.some((x) => x.definedAt.file === f.file))
      ? "introduced by a patch file"
      : "a base line judged through the overlay (same risk, new position or new identity)";
  return { cause: how, evidence: `rendered from ${f.renderedFrom.join(", ")}` };
}

// ---------------------------------------------------------------------------------------------------------------
// kubectl cross-check: the rules run on `kubectl kustomize ROOT`'s output must give the same (rule, kind, path)
// for each root as the rendered scan gives for the findings rendered from that root.

function crossCheck(repoDir, repo, after) {
  const okRoots = repo.renders.filter((r) => r.result.ok).map((r) => r.root);
  if (okRoots.length === 0) return [];
  const mirror = mkdtempSync(join(tmpdir(), "gg-corpus-"));
  try {
    const built = new Map();
    for (const root of okRoots) {
      const k = kubectl(["kustomize", root || "."], repoDir);
      built.set(root, k);
      if (!k.ok) continue;
      mkdirSync(join(mirror, root), { recursive: true });
      writeFileSync(join(mirror, root, "kubectl-kustomize.yaml"), k.out);
    }
    const oracle = scan(mirror, ["--no-render"]).findings;
    const sig = (f) => `${f.ruleId} ${f.resource?.kind ?? "?"} ${f.path ?? ""}`;
    return okRoots.map((root) => {
      const k = built.get(root);
      if (!k.ok) return { root, kubectl: `kubectl failed: ${k.out}`, missing: [], extra: [], count: 0 };
      const expected = oracle.filter((f) => DOC_RULES.has(f.ruleId) && f.file === join(root, "kubectl-kustomize.yaml").split("\\").join("/")).map(sig);
      const got = after.filter((f) => DOC_RULES.has(f.ruleId) && f.renderedFrom?.includes(root)).map(sig);
      const pool = [...got];
      const missing = [];
      for (const s of expected) {
        const i = pool.indexOf(s);
        if (i >= 0) pool.splice(i, 1);
        else missing.push(s);
      }
      return { root, kubectl: "ok", missing, extra: pool, count: expected.length };
    });
  } finally {
    rmSync(mirror, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The report

const repos = CORPORA.flatMap((c) =>
  readdirSync(c)
    .filter((n) => statSync(join(c, n)).isDirectory())
    .sort()
    .map((n) => ({ dir: join(c, n), name: CORPORA.length > 1 ? `${relative(ROOT, c) || "."}/${n}` : n })),
);
const results = [];
for (const { dir, name } of repos) {
  const before = scan(dir, ["--no-render"]);
  const after = scan(dir, []);
  const repo = renderRepository(dir);
  const { disappeared, appeared } = difference(before.findings, after.findings);
  const check = opts["no-kubectl"] ? null : crossCheck(dir, repo, after.findings);
  results.push({ name, before, after, repo, disappeared, appeared, check });
  process.stderr.write(`${name}: ${before.findings.length} → ${after.findings.length} findings (${disappeared.length} disappeared, ${appeared.length} appeared)\n`);
}

const commit = (() => {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
})();
const kubectlVersion = opts["no-kubectl"] ? "not run (--no-kubectl)" : (kubectl(["version", "--client"], ROOT).out.match(/Kustomize Version: (\S+)/)?.[1] ?? "unknown");
const cell = (s) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");
const md = [];
md.push("# Kustomize render on the corpus: findings before and after");
md.push("");
md.push(`Generated ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`${["node scripts/corpus-findings.mjs", ...process.argv.slice(2)].join(" ")}\` (gitops-guard ${commit}, built with \`npm run build\`; kubectl's Kustomize ${kubectlVersion}) over ${CORPORA.map((c) => `\`${relative(ROOT, c) || "."}\``).join(" and ")} — do not edit by hand, run the script again.`);
md.push("");
md.push("Each subdirectory of a corpus folder is one repository (the folders under `test/kustomize-corpus/fixtures` are the base side of the overlay PR tests in `test/kustomize-corpus/`). For each repository, in its directory:");
md.push("");
md.push("```sh");
md.push("node bin/gitops-guard.js scan . --format json --no-ecr --no-render   # before: every file judged on its own");
md.push("node bin/gitops-guard.js scan . --format json --no-ecr               # after: Kustomize roots rendered in process");
if (!opts["no-kubectl"]) md.push("kubectl kustomize ROOT   # per rendered root; its output is scanned with --no-render and compared with the root's rendered findings");
md.push("```");
md.push("");
md.push("A finding *disappeared* when no finding of the same rule is reported at the same file, line and column after the");
md.push("render; it *appeared* the other way round. Each disappeared finding is explained from the render itself: which");
md.push("root reads the file, whether the file defines objects or only patches them, and which file and line set the value");
md.push("the rule looks at in the applied object. Causes starting with UNEXPECTED would be bugs.");
md.push("");
md.push("| repository | before | after | disappeared | appeared | roots rendered | roots not rendered |");
md.push("|---|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  const ok = r.repo.renders.filter((x) => x.result.ok).length;
  md.push(`| ${r.name} | ${r.before.findings.length} | ${r.after.findings.length} | ${r.disappeared.length} | ${r.appeared.length} | ${ok} | ${r.repo.renders.length - ok} |`);
}
for (const r of results) {
  md.push("", `## ${r.name}`, "");
  md.push("### Findings per rule", "");
  md.push("| rule | before | after | disappeared | appeared |", "|---|---:|---:|---:|---:|");
  for (const [id, c] of perRule(r.before.findings, r.after.findings, r.disappeared, r.appeared)) md.push(`| \`${id}\` | ${c.before} | ${c.after} | ${c.disappeared} | ${c.appeared} |`);
  md.push("", "### Roots", "");
  for (const x of r.repo.renders) md.push(`- \`${x.root || "."}\`: ${x.result.ok ? `rendered, ${x.result.resources.length} objects from ${x.result.files.length} files` : `not rendered — ${cell(x.result.reason)}; its files are judged one by one`}`);
  md.push("", `### Disappeared findings (${r.disappeared.length})`, "");
  if (r.disappeared.length === 0) md.push("None: every finding of the file-by-file scan is still reported at the same line.");
  const groups = new Map();
  for (const f of r.disappeared) {
    const e = explainDisappeared(f, r.repo);
    groups.set(e.cause, [...(groups.get(e.cause) ?? []), { f, e }]);
  }
  for (const [cause, list] of groups) {
    md.push(`**${cause}** (${list.length})`, "");
    for (const { f, e } of list) md.push(`- \`${f.ruleId}\` ${f.file}:${f.line} ${f.resource?.kind ?? ""} ${f.resource?.name ?? ""} \`${f.path ?? ""}\` — ${cell(e.evidence)}`);
    md.push("");
  }
  md.push("", `### Appeared findings (${r.appeared.length})`, "");
  if (r.appeared.length === 0) md.push("None.");
  for (const f of r.appeared) {
    const e = explainAppeared(f, r.repo);
    md.push(`- \`${f.ruleId}\` ${f.file}:${f.line}:${f.column} ${f.resource?.kind ?? ""} ${f.resource?.name ?? ""} \`${f.path ?? ""}\` — ${e.cause}; ${cell(e.evidence)}`);
  }
  md.push("", "### Findings still judged file by file", "");
  const alone = new Map();
  for (const f of r.after.findings.filter((x) => !x.renderedFrom)) {
    const failed = r.repo.renders.find((x) => !x.result.ok && r.repo.graph.closure(x.root).includes(f.file));
    const why = failed ? `in \`${failed.root || "."}\`, which did not render` : "outside every kustomization";
    alone.set(why, (alone.get(why) ?? 0) + 1);
  }
  if (alone.size === 0) md.push("None: every finding comes from a render.");
  for (const [why, n] of [...alone].sort()) md.push(`- ${n} finding${n === 1 ? "" : "s"} ${why}`);
  if (r.check) {
    md.push("", "### Cross-check against `kubectl kustomize`", "");
    md.push("Document rules run on each root's `kubectl kustomize` output (scanned with `--no-render`) against the rendered scan's findings from that root, compared as (rule, kind, JSON path).", "");
    md.push("| root | findings on kubectl's output | missing from the render | only in the render |", "|---|---:|---|---|");
    for (const c of r.check) {
      if (c.kubectl !== "ok") md.push(`| \`${c.root || "."}\` | ${cell(c.kubectl)} | | |`);
      else md.push(`| \`${c.root || "."}\` | ${c.count} | ${c.missing.length ? cell(c.missing.join("; ")) : "none"} | ${c.extra.length ? cell(c.extra.join("; ")) : "none"} |`);
    }
  }
}
md.push("");
writeFileSync(OUT, md.join("\n"));
process.stderr.write(`wrote ${relative(process.cwd(), OUT)}\n`);
