/**
 * `gitops-guard render DIR`: builds the kustomization in DIR in process and prints it like `kubectl kustomize`.
 * The disk adapter below is the only I/O; it never reads outside the repository root (the nearest ancestor of
 * DIR holding `.git`; outside a git work tree, the current directory when DIR is in it, else DIR itself) and checks
 * sizes before reading.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_BUILD_LIMITS, buildKustomization, printYaml, type FileTree } from "../kustomize/index.js";
import { colorModeProblem } from "./color.js";
import { EXIT, optionError, type CliIO } from "./io.js";

const USAGE = "usage: gitops-guard render DIR [--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone]";

/** A usage error worded as the other commands word theirs. */
function usageError(io: CliIO, message: string): number {
  io.stderr.write(`gitops-guard: ${message}\nRun \`gitops-guard render --help\` for usage.\n`);
  return EXIT.usage;
}

/** The git work tree a path lies in: its nearest ancestor (or itself) holding `.git` (a directory or a worktree's file), or null. */
export function workTreeOf(path: string): string | null {
  for (let d = path; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return null;
  }
}

/**
 * The repository root for DIR: its nearest ancestor (or itself) that holds `.git`; outside a git work tree, the current
 * directory `cwd` when DIR is in it (an overlay's `../base` beside it, as kubectl reads it), else DIR.
 */
export function repositoryRoot(dir: string, cwd?: string): string {
  const tree = workTreeOf(dir);
  if (tree !== null) return tree;
  if (cwd !== undefined) {
    const rel = relative(realpathSync(cwd), realpathSync(dir));
    if (!isAbsolute(rel) && !rel.startsWith("..") && dirname(cwd) !== cwd) return cwd;
  }
  return dir;
}

/** A read-only `FileTree` over a directory on disk; nothing outside `root` (symlinks included) is read. */
export function diskTree(root: string, maxFileBytes = DEFAULT_BUILD_LIMITS.maxFileBytes): FileTree {
  const realRoot = realpathSync(root);
  const inside = (p: string): string | null => {
    const abs = join(realRoot, ...p.split("/").filter(Boolean));
    try {
      const real = realpathSync(abs);
      return real === realRoot || real.startsWith(realRoot + sep) ? real : null;
    } catch {
      return null;
    }
  };
  return {
    readFile(path) {
      const p = inside(path);
      if (p === null) return null;
      const st = statSync(p);
      if (!st.isFile()) return null;
      if (st.size > maxFileBytes) throw new Error(`${path} is larger than ${maxFileBytes} bytes`);
      return new Uint8Array(readFileSync(p));
    },
    isDirectory(path) {
      const p = inside(path);
      return p !== null && statSync(p).isDirectory();
    },
    listDirectory(path) {
      const p = inside(path);
      if (p === null || !statSync(p).isDirectory()) return [];
      return readdirSync(p);
    },
    realPath(path) {
      const p = inside(path);
      return p === null ? null : relative(realRoot, p).split(sep).join("/");
    },
  };
}

export async function runRender(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    // `--color` is a general option: accepted (and checked) here too, though YAML is printed without colour.
    parsed = parseArgs({ args, options: { "load-restrictor": { type: "string" }, color: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError(io, optionError("render", err).message);
  }
  if (parsed.values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const colorProblem = colorModeProblem(parsed.values.color);
  if (colorProblem !== null) return usageError(io, colorProblem);
  const restrictor = parsed.values["load-restrictor"] ?? "LoadRestrictionsRootOnly";
  if (parsed.positionals.length !== 1 || (restrictor !== "LoadRestrictionsRootOnly" && restrictor !== "LoadRestrictionsNone")) {
    io.stderr.write(`gitops-guard: ${USAGE}\n`);
    return EXIT.usage;
  }
  const dir = resolve(io.cwd, parsed.positionals[0]!);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr.write(`gitops-guard: render: ${parsed.positionals[0]} is not a directory\n`);
    return EXIT.usage;
  }
  const root = repositoryRoot(dir, io.cwd);
  const rel = relative(realpathSync(root), realpathSync(dir));
  if (isAbsolute(rel) || rel.startsWith("..")) {
    io.stderr.write(`gitops-guard: render: ${parsed.positionals[0]} is outside its repository\n`);
    return EXIT.usage;
  }
  const result = buildKustomization(diskTree(root), rel.split(sep).join("/"), {
    loadRestrictions: restrictor === "LoadRestrictionsNone" ? "none" : "rootOnly",
  });
  if (!result.ok) {
    io.stderr.write(`gitops-guard: render: not rendered in process: ${result.reason}\n`);
    return EXIT.usage;
  }
  for (const note of result.notes) io.stderr.write(`gitops-guard: note: ${note}\n`);
  io.stdout.write(printYaml(result.resources.map((r) => r.value)));
  return EXIT.ok;
}
