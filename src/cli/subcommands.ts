import { stat, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, posix, relative, resolve } from "node:path";
import { CONFIG_PATH, defaultConfig } from "../core/config.js";
import { loadConfigYaml } from "../core/config-loader.js";
import { suggest } from "../core/suggest.js";
import { workTreeOf } from "./render.js";
import { excludedNote, prepareReview, type FileChange, type FileContent } from "../core/review.js";
import { Policy } from "../core/policy.js";
import { TestSuiteInputs } from "../core/test-suites.js";
import { explainRule, renderRulesMarkdown } from "../docs/rules-markdown.js";
import { diffDirectories } from "../local/dir-diff.js";
import { isDirectory, listFileEntries, readFileContent, toPosix } from "../local/files.js";
import { diffRefs, readAtRef } from "../local/git.js";
import { resolveSide } from "../local/git-history.js";
import { repositoryLookup } from "../local/outside-reads.js";
import { directoryRepositoryView, gitRepositoryView, scannedRepositoryView } from "../local/repository-view.js";
import { ALL_RULES, findRule } from "../rules/index.js";
import { applyFailOn, configForScan, configFromFile, shownPath, type ChosenConfig } from "./config-file.js";
import { evaluateWithFacts } from "./ecr.js";
import { EXIT, UsageError, type CliIO } from "./io.js";
import { cliIdentity } from "./identity.js";
import { reviewedCommit } from "./links.js";
import { checkFormat, render } from "./output.js";
import { readScanned } from "./read-files.js";
import { isJsonManifest } from "../parse/json-manifest.js";

export interface CommonOptions {
  format?: string;
  config?: string;
  "fail-on"?: string;
  "repo-url"?: string;
  /** Review every file on its own: no Kustomize render (to compare with). */
  "no-render"?: boolean;
  /** No Amazon ECR checks, whatever the environment and config say. */
  "no-ecr"?: boolean;
  /** Also write the report as SARIF to this file (one run for a CI job that prints text and uploads SARIF). */
  "sarif-file"?: string;
}

/** The same report as SARIF in `--sarif-file`, when asked (written before the exit code is decided: it never changes it). */
async function writeSarifFile(opts: CommonOptions, io: CliIO, sarif: () => string): Promise<void> {
  const file = opts["sarif-file"];
  if (file === undefined) return;
  if (file.trim() === "") throw new UsageError("--sarif-file needs a file name");
  const path = resolve(io.cwd, file);
  try {
    await writeFile(path, sarif());
  } catch (err) {
    throw new UsageError(`cannot write --sarif-file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The one stderr line every run prints: which config it used (never on stdout, which may be JSON or SARIF); and a
 * second when the file has `_extends`, which only the GitHub App follows (the CLI and the Action read no other
 * repository): silently ignored, an organisation's defaults would seem to apply when they do not.
 */
function announce(chosen: ChosenConfig, io: CliIO): void {
  io.stderr.write(`gitops-guard: ${chosen.source}\n`);
  if (chosen.config._extends !== undefined) io.stderr.write("gitops-guard: `_extends` is followed by the GitHub App only; the CLI uses this file alone\n");
}

function exitFor(conclusion: string): number {
  return conclusion === "failure" ? EXIT.failure : EXIT.ok;
}

/** A display path: relative to cwd when inside it, else `<arg basename>/<path inside arg>`. */
function displayPath(cwd: string, arg: string, abs: string, root: string): string {
  const rel = toPosix(relative(cwd, abs));
  if (!rel.startsWith("..") && !isAbsolute(rel)) return rel;
  const base = toPosix(relative(resolve(root, ".."), abs));
  return base;
}

/** The display path of a scanned directory inside cwd ("" for cwd itself), or null when it is not inside cwd. */
function insideDisplayPrefix(cwd: string, dir: string): string | null {
  const rel = toPosix(relative(cwd, dir));
  return !rel.startsWith("..") && !isAbsolute(rel) ? rel : null;
}

/**
 * displayPath of a listed file under a directory inside cwd, without a path computation per file (a scan lists
 * thousands): the directory's display path and the file's. Null where displayPath must decide (outside cwd, or a
 * name that starts with `..`).
 */
function displayPathUnder(prefix: string | null, rel: string): string | null {
  if (prefix === null) return null;
  const shown = prefix === "" ? rel : `${prefix}/${rel}`;
  return shown.startsWith("..") ? null : shown;
}

/**
 * The repository root of a scan: what Argo CD's paths (`spec.source.path`, an ApplicationSet's generators) are relative
 * to, and so what the scanned files' paths are shown relative to: the git work tree holding every target; outside git,
 * the current directory when every target is inside it, else the one directory scanned. Null when the targets share no
 * root (several places outside git and outside the current directory): paths are then shown relative to a target's
 * parent. Without this, `scan ../gitops` named files `gitops/apps/…` and an Application's `path: apps/web` matched none
 * of them; in a work tree, a scan from a subdirectory named files relative to it.
 */
function scanRoot(cwd: string, targets: ReadonlyArray<{ abs: string; dir: boolean }>): string | null {
  const trees = new Set(targets.map((t) => workTreeOf(t.dir ? t.abs : dirname(t.abs))));
  const tree = trees.size === 1 ? [...trees][0]! : null;
  if (tree !== null) return tree;
  if (targets.every((t) => insideDisplayPrefix(cwd, t.abs) !== null)) return cwd;
  const only = targets.length === 1 ? targets[0]! : null;
  return only?.dir ? only.abs : null;
}

/** Whether a file exists (a test suite's marker beside a file named on the command line). */
async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function runScan(paths: string[], opts: CommonOptions, color: boolean, io: CliIO): Promise<number> {
  if (paths.length === 0) throw new UsageError("scan needs at least one PATH");
  const format = checkFormat(opts.format);
  const targets: Array<{ arg: string; abs: string; dir: boolean }> = [];
  /** Every file under the scanned directories (display path → disk), for the Kustomize render. */
  const tree = new Map<string, string>();
  for (const arg of paths) {
    const abs = resolve(io.cwd, arg);
    targets.push({ arg, abs, dir: await isDirectory(abs) });
  }
  const chosen = await configForScan(io.cwd, opts.config, targets.map((t) => (t.dir ? t.abs : resolve(t.abs, ".."))));
  const config = applyFailOn(chosen.config, opts["fail-on"]);
  announce(chosen, io);
  const policy = new Policy(config, ALL_RULES);
  const root = scanRoot(io.cwd, targets);
  // Which repository Argo CD sources may name (see RepositoryView.identity): the origin remote of the git work tree the
  // scan's paths are relative to, if they are relative to one. Asked now (one git process), answered while files are read.
  const identity = opts["no-render"] ? Promise.resolve(undefined) : cliIdentity(undefined, root !== null && workTreeOf(root) === root ? root : null);
  // Fixtures are decided once every path is known: a test suite's inputs are found from its directory (TestSuiteInputs).
  const candidates: Array<{ display: string; rel: string | null; read: () => Promise<FileContent>; dir?: string }> = [];
  /** Paths of the scanned trees, the named files, and the suite markers found beside a named file. */
  const known = new Set<string>();
  /** The directories scanned, and those that hold a file to review (or a fixture left out): the others are named. */
  const dirs: string[] = [];
  const dirsWithFiles = new Set<string>();
  for (const { arg, abs, dir } of targets) {
    if (dir) {
      dirs.push(arg);
      const shownUnder = root !== null ? toPosix(relative(root, abs)) : insideDisplayPrefix(io.cwd, abs);
      for (const { path: rel, fsPath } of await listFileEntries(abs)) {
        const display = displayPathUnder(shownUnder, rel) ?? displayPath(io.cwd, arg, join(abs, rel), abs);
        tree.set(display, join(abs, rel));
        known.add(display);
        if (!policy.mayReview(display) && !policy.mayReview(rel)) continue;
        candidates.push({ display, rel, read: () => readScanned(fsPath), dir: arg });
      }
    } else {
      let content: FileContent;
      try {
        content = await readFileContent(abs);
      } catch {
        throw new UsageError(`cannot read ${arg}: no such file or directory`);
      }
      const display = root !== null ? toPosix(relative(root, abs)) : displayPath(io.cwd, arg, abs, resolve(abs, ".."));
      // A named file is reviewed whatever its extension, but the config's exclusions hold for it as for a directory's
      // files: `scan $(git diff --name-only …)` and pre-commit name every changed file, test fixtures included.
      if (policy.excludes(display)) io.stderr.write(`gitops-guard: ${arg} is left out by paths.exclude\n`);
      else {
        known.add(display);
        for (const marker of TestSuiteInputs.markersFor(display)) {
          if (await isFile(resolve(abs, "..", posix.relative(posix.dirname(display), marker)))) known.add(marker);
        }
        candidates.push({ display, rel: null, read: async () => content });
      }
    }
  }
  const suites = new TestSuiteInputs(known);
  const files: Array<{ path: string; content: FileContent }> = [];
  const excluded: string[] = [];
  for (const { display, rel, read, dir } of candidates) {
    if (policy.excludedByDefault(display, suites) || (rel !== null && policy.excludedByDefault(rel))) excluded.push(display);
    else {
      const content = await read();
      // A `.json` file of a scanned directory is reviewed when it is a Kubernetes manifest (see json-manifest.ts).
      if (rel !== null && !policy.reviews(display) && !policy.reviews(rel) && !isJsonManifest(content)) continue;
      files.push({ path: display, content });
    }
    if (dir !== undefined) dirsWithFiles.add(dir);
  }
  for (const arg of dirs) {
    if (!dirsWithFiles.has(arg)) io.stderr.write(`gitops-guard: no YAML files in ${arg} (*.yaml, *.yml, .env, JSON manifests and paths.include, minus paths.exclude)\n`);
  }
  // A root under the scanned directories may read files beyond them (an overlay's `../../base`): within the
  // repository root (the git work tree, else the current directory) they are read as `render` reads them, not judged;
  // as `render`, never with the file system's root as the repository.
  const lookup = root !== null && dirname(root) !== root ? repositoryLookup(root) : undefined;
  const scannedView = opts["no-render"] ? undefined : await scannedRepositoryView(tree, files, (p) => policy.excludes(p), await identity, lookup);
  // The files were chosen above (paths.include/exclude and the default fixture exclusions; files named explicitly are
  // reviewed even without a YAML extension): the engine reviews each of them, with no second selection by path.
  const notes = excluded.length ? [excludedNote(excluded)] : [];
  // `scan`: every file reviewed as if newly added, so every finding (and every image) is new.
  const changes: FileChange[] = files.map((f) => ({ path: f.path, status: "added", head: f.content }));
  const now = new Date();
  const prepared = prepareReview({
    changes,
    config: { ...config, paths: { include: ["**"], exclude: [], excludeDefaults: false } },
    rules: ALL_RULES,
    now,
    notes,
    // The kustomizations the view's plan parsed are not parsed again.
    ...(scannedView ? { repository: scannedView.view, parsed: { head: scannedView.parsed } } : {}),
  });
  const { result, images } = await evaluateWithFacts({ prepared, changes, config, now, noEcr: opts["no-ecr"] === true, io });
  // Nothing to review is no pull request's "No GitOps files changed": say what was looked for, and where.
  const where = paths.join(", ");
  const nothingReviewed = excluded.length ? `No YAML files to review in ${where} (see the note)` : `No YAML files found in ${where}`;
  io.stdout.write(render(result, format, color, config.commands.prefix, { ...(images ? { images } : {}), nothingReviewed }));
  await writeSarifFile(opts, io, () => render(result, "sarif", false, config.commands.prefix, { ...(images ? { images } : {}), nothingReviewed }));
  return exitFor(result.conclusion);
}

export interface ReviewOptions extends CommonOptions {
  base?: string;
  head?: string;
  repo?: string;
}

export async function runReview(opts: ReviewOptions, color: boolean, io: CliIO): Promise<number> {
  if (!opts.base || !opts.head) throw new UsageError("review needs --base and --head (git refs, or two directories)");
  const format = checkFormat(opts.format);
  const baseDir = resolve(io.cwd, opts.base);
  const headDir = resolve(io.cwd, opts.head);
  const dirMode = !opts.repo && (await isDirectory(baseDir)) && (await isDirectory(headDir));
  const repo = resolve(io.cwd, opts.repo ?? ".");

  // The config comes from the base side: a change must not be able to loosen its own review.
  let chosen: ChosenConfig;
  if (opts.config) {
    const path = resolve(io.cwd, opts.config);
    chosen = { config: (await configFromFile(path, true))!, source: `config ${shownPath(io.cwd, path)} (--config)` };
  } else if (dirMode) {
    const path = join(baseDir, CONFIG_PATH);
    const config = await configFromFile(path, false);
    chosen = config ? { config, source: `config ${shownPath(io.cwd, path)} (base directory)` } : { config: defaultConfig(), source: `defaults (no ${CONFIG_PATH} in the base directory ${opts.base})` };
  } else {
    const baseSha = await resolveSide(repo, "--base", opts.base);
    const text = await readAtRef(repo, baseSha, CONFIG_PATH);
    chosen = text
      ? { config: loadConfigYaml(Buffer.from(text).toString("utf8"), ALL_RULES, `${opts.base}:${CONFIG_PATH}`), source: `config ${CONFIG_PATH} (base ref ${opts.base})` }
      : { config: defaultConfig(), source: `defaults (no ${CONFIG_PATH} at base ref ${opts.base})` };
  }
  const config = applyFailOn(chosen.config, opts["fail-on"]);
  announce(chosen, io);
  const policy = new Policy(config, ALL_RULES);
  // Which repository Argo CD sources may name (see RepositoryView.identity): `--repo-url`, else the origin remote of
  // `--repo`, asked while the diff is read. Two directories are snapshots, not a checkout: no identity.
  const identity = opts["no-render"] || dirMode ? Promise.resolve(undefined) : cliIdentity(opts["repo-url"], repo);
  const wanted = (p: string): boolean => policy.mayReview(p);
  const changes = dirMode ? await diffDirectories(baseDir, headDir, wanted) : await diffRefs(repo, opts.base, opts.head, wanted);
  const excludes = (p: string): boolean => policy.excludes(p);
  const repository = opts["no-render"]
    ? undefined
    : dirMode
      ? await directoryRepositoryView(baseDir, headDir, changes, excludes)
      : await gitRepositoryView(repo, opts.base, opts.head, changes, excludes, await identity);
  const now = new Date();
  const prepared = prepareReview({ changes, config, rules: ALL_RULES, now, ...(repository ? { repository } : {}) });
  const { result, images } = await evaluateWithFacts({ prepared, changes, config, now, noEcr: opts["no-ecr"] === true, io });
  const commit = format === "markdown" || opts["repo-url"] !== undefined ? await reviewedCommit(opts["repo-url"], io.env ?? {}, dirMode ? null : { repo, base: opts.base, head: opts.head }) : undefined;
  const options = { ...(commit ? { commit } : {}), ...(images ? { images } : {}), replacedAtHead: renamedFiles(changes) };
  io.stdout.write(render(result, format, color, config.commands.prefix, options));
  await writeSarifFile(opts, io, () => render(result, "sarif", false, config.commands.prefix, options));
  return exitFor(result.conclusion);
}

/** A review's renamed files, base path → head path: where SARIF places a finding at a base version's line. */
function renamedFiles(changes: readonly FileChange[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of changes) if (c.status === "renamed" && c.previousPath !== undefined) out.set(c.previousPath, c.path);
  return out;
}

export function runRules(format: string | undefined, io: CliIO): number {
  const f = format ?? "text";
  if (f === "markdown") io.stdout.write(renderRulesMarkdown(ALL_RULES));
  else if (f === "json") {
    const meta = ALL_RULES.map((r) => ({ ...r.meta, enabledByDefault: r.meta.enabledByDefault !== false, productionOnly: r.meta.productionOnly === true }));
    io.stdout.write(`${JSON.stringify(meta, null, 2)}\n`);
  } else if (f === "text") {
    const width = Math.max(...ALL_RULES.map((r) => r.meta.id.length));
    for (const r of ALL_RULES) {
      const off = r.meta.enabledByDefault === false ? " (off by default)" : "";
      io.stdout.write(`${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(8)}  ${r.meta.title}${off}\n`);
    }
  } else throw new UsageError(`rules --format must be text, markdown or json (got "${f}")`);
  return EXIT.ok;
}

export function runExplain(id: string | undefined, io: CliIO): number {
  if (!id) throw new UsageError("explain needs a RULE id (see `gitops-guard rules`)");
  const rule = findRule(id);
  if (!rule) {
    const ids = ALL_RULES.map((r) => r.meta.id);
    const near = [...new Set([...suggest(id, ids), ...ids.filter((r) => r.includes(id.split("/").pop() || id))])].slice(0, 3);
    throw new UsageError(`unknown rule "${id}"${near.length ? `; did you mean ${near.join(", ")}?` : " (see `gitops-guard rules`)"}`);
  }
  io.stdout.write(explainRule(rule));
  return EXIT.ok;
}
