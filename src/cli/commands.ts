import { isAbsolute, join, relative, resolve } from "node:path";
import { defaultConfig, type Config } from "../core/config.js";
import { review, scan, type FileContent } from "../core/review.js";
import { Policy } from "../core/policy.js";
import { explainRule, renderRulesMarkdown } from "../docs/rules-markdown.js";
import { diffDirectories } from "../local/dir-diff.js";
import { isDirectory, listFileEntries, readFileContent, toPosix } from "../local/files.js";
import { diffRefs, readAtRef } from "../local/git.js";
import { ALL_RULES, findRule } from "../rules/index.js";
import { applyFailOn, CONFIG_PATH, configFromFile, configFromText } from "./config-loader.js";
import { EXIT, UsageError, type CliIO } from "./io.js";
import { checkFormat, render } from "./output.js";

export interface CommonOptions {
  format?: string;
  config?: string;
  "fail-on"?: string;
}

function useColor(io: CliIO): boolean {
  const env = io.env ?? {};
  return Boolean(io.stdout.isTTY) && env.NO_COLOR === undefined && env.TERM !== "dumb";
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

export async function runScan(paths: string[], opts: CommonOptions, io: CliIO): Promise<number> {
  if (paths.length === 0) throw new UsageError("scan needs at least one PATH");
  const format = checkFormat(opts.format);
  const config = applyFailOn(
    opts.config ? (await configFromFile(resolve(io.cwd, opts.config), true))! : ((await configFromFile(join(io.cwd, CONFIG_PATH), false)) ?? defaultConfig()),
    opts["fail-on"],
  );
  const policy = new Policy(config, ALL_RULES);
  const files: Array<{ path: string; content: FileContent }> = [];
  for (const arg of paths) {
    const abs = resolve(io.cwd, arg);
    if (await isDirectory(abs)) {
      for (const { path: rel, fsPath } of await listFileEntries(abs)) {
        const display = displayPath(io.cwd, arg, join(abs, rel), abs);
        if (policy.reviews(display) || policy.reviews(rel)) files.push({ path: display, content: await readFileContent(fsPath, { followSymlinks: false }) });
      }
    } else {
      let content: FileContent;
      try {
        content = await readFileContent(abs);
      } catch {
        throw new UsageError(`cannot read ${arg}: no such file or directory`);
      }
      files.push({ path: displayPath(io.cwd, arg, abs, resolve(abs, "..")), content });
    }
  }
  // Files named explicitly are reviewed even without a YAML extension.
  const result = scan(files, { config: { ...config, paths: { ...config.paths, include: [...config.paths.include, ...files.map((f) => f.path)] } }, rules: ALL_RULES, now: new Date() });
  io.stdout.write(render(result, format, useColor(io), config.commands.prefix));
  return exitFor(result.conclusion);
}

export interface ReviewOptions extends CommonOptions {
  base?: string;
  head?: string;
  repo?: string;
}

export async function runReview(opts: ReviewOptions, io: CliIO): Promise<number> {
  if (!opts.base || !opts.head) throw new UsageError("review needs --base and --head (git refs, or two directories)");
  const format = checkFormat(opts.format);
  const baseDir = resolve(io.cwd, opts.base);
  const headDir = resolve(io.cwd, opts.head);
  const dirMode = !opts.repo && (await isDirectory(baseDir)) && (await isDirectory(headDir));
  const repo = resolve(io.cwd, opts.repo ?? ".");

  // The config comes from the base side: a change must not be able to loosen its own review.
  let config: Config;
  if (opts.config) config = (await configFromFile(resolve(io.cwd, opts.config), true))!;
  else if (dirMode) config = (await configFromFile(join(baseDir, CONFIG_PATH), false)) ?? defaultConfig();
  else {
    const text = await readAtRef(repo, opts.base, CONFIG_PATH);
    config = text ? configFromText(Buffer.from(text).toString("utf8"), `${opts.base}:${CONFIG_PATH}`) : defaultConfig();
  }
  config = applyFailOn(config, opts["fail-on"]);
  const policy = new Policy(config, ALL_RULES);
  const wanted = (p: string): boolean => policy.reviews(p);
  const changes = dirMode ? await diffDirectories(baseDir, headDir, wanted) : await diffRefs(repo, opts.base, opts.head, wanted);
  const result = review({ changes, config, rules: ALL_RULES, now: new Date() });
  io.stdout.write(render(result, format, useColor(io), config.commands.prefix));
  return exitFor(result.conclusion);
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
    const near = ALL_RULES.map((r) => r.meta.id).filter((r) => r.includes(id.split("/").pop() ?? id));
    throw new UsageError(`unknown rule "${id}"${near.length ? `; did you mean ${near.slice(0, 3).join(", ")}?` : ""}`);
  }
  io.stdout.write(explainRule(rule));
  return EXIT.ok;
}
