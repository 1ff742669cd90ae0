import { stat } from "node:fs/promises";
import { readTextFile } from "../local/files.js";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { CONFIG_PATH, defaultConfig, type Config } from "../core/config.js";
import { loadConfigYaml } from "../core/config-loader.js";
import { didYouMean } from "../core/suggest.js";
import { SEVERITIES, type Severity } from "../core/types.js";
import { ALL_RULES } from "../rules/index.js";
import { toPosix } from "../local/files.js";
import { UsageError } from "./io.js";

/** A config and where it came from, in words for the one stderr line every run prints. */
export interface ChosenConfig {
  config: Config;
  /** e.g. `config .github/gitops-guard.yml` or `defaults (no .github/gitops-guard.yml in apps)`. */
  source: string;
}

/** Reads a config file from disk and loads it with the one config loader; null when it is absent and not required. */
export async function configFromFile(path: string, required: boolean): Promise<Config | null> {
  let text: string;
  try {
    // Bounded like every file a review reads: a config over the cap, a FIFO or a device is an error, never a hang.
    text = await readTextFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const missing = code === "ENOENT" || code === "ENOTDIR";
    if (!required && missing) return null;
    throw new UsageError(missing ? `config file not found: ${path}` : `config file ${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  return loadConfigYaml(text, ALL_RULES, path);
}

export function applyFailOn(config: Config, failOn: string | undefined): Config {
  if (failOn === undefined) return config;
  if (!(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(", ")} (got "${failOn}")${didYouMean(failOn, SEVERITIES)}`);
  }
  return { ...config, failOn: failOn as Severity };
}

/** A path as the user would type it from `cwd` (`.` for cwd itself; absolute when it is outside cwd). */
export function shownPath(cwd: string, abs: string): string {
  const rel = toPosix(relative(cwd, abs));
  return rel.startsWith("../") || rel === ".." || isAbsolute(rel) ? toPosix(abs) : rel || ".";
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * The directories whose `.github/gitops-guard.yml` may configure a scan of `dir`: `dir` itself, then its parents up
 * to the root of the git work tree it is in (a directory holding `.git`); only `dir` when it is in none.
 */
async function configHomes(dir: string): Promise<string[]> {
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.push(d);
    if (await stat(join(d, ".git")).then(() => true, () => false)) return chain;
    if (dirname(d) === d) return [dir];
  }
}

/** `--config`, else the `.github/gitops-guard.yml` of the scanned directories (or their repository), else of cwd. */
export async function configForScan(cwd: string, configFlag: string | undefined, dirs: readonly string[]): Promise<ChosenConfig> {
  if (configFlag) {
    const path = resolve(cwd, configFlag);
    return { config: (await configFromFile(path, true))!, source: `config ${shownPath(cwd, path)} (--config)` };
  }
  const found = new Set<string>();
  for (const dir of dirs) {
    for (const home of await configHomes(dir)) {
      if (await exists(join(home, CONFIG_PATH))) {
        found.add(join(home, CONFIG_PATH));
        break;
      }
    }
  }
  if (found.size > 1) {
    const list = [...found].map((p) => shownPath(cwd, p)).join(" and ");
    throw new UsageError(`the scanned directories have different configs (${list}): scan them one at a time, or pass --config`);
  }
  const path = [...found][0] ?? ((await exists(join(cwd, CONFIG_PATH))) ? join(cwd, CONFIG_PATH) : null);
  if (path) return { config: (await configFromFile(path, true))!, source: `config ${shownPath(cwd, path)}` };
  const where = dirs.length === 1 && dirs[0] !== cwd ? ` in ${shownPath(cwd, dirs[0]!)} or the current directory` : "";
  return { config: defaultConfig(), source: `defaults (no ${CONFIG_PATH}${where})` };
}
