/**
 * The one config loader, for the CLI and the App alike: YAML text → raw object → validated Config. Pure: the
 * callers read the file (the CLI from disk or a git ref; the App through Probot's loader, which follows `_extends`
 * and the organisation's `.github` repository and parses with the same `yaml` package and the same alias cap).
 */
import { parse, YAMLParseError } from "yaml";
import { ConfigError, parseConfig, type Config } from "./config.js";
import type { Rule } from "./rule.js";

/**
 * The `yaml` package's `maxAliasCount` for config files (a scalar may be aliased at most 99 times). It is the
 * package's default, so Probot's config loader (which takes no parser options) applies the same cap; tests check the
 * CLI and the App accept and refuse the same files.
 */
export const CONFIG_MAX_ALIASES = 100;

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}

/** How much of the offending line a YAML error shows. */
export const EXCERPT_MAX = 80;

/**
 * `<source>:<line>:<col>: not valid YAML: <what> — line <n>: "<text>"`. The line is shown (capped at EXCERPT_MAX
 * characters, control characters dropped) so the user sees what to fix; config files hold settings, not secrets.
 */
function yamlProblem(error: unknown, text: string, source: string): string {
  if (!(error instanceof YAMLParseError) || !error.linePos) return `${source}: not valid YAML: ${firstLine(error)}`;
  const { line, col } = error.linePos[0];
  const what = firstLine(error).replace(/ at line \d+, column \d+:?$/, "");
  const lines = text.split(/\r?\n/);
  // An error at the end of the file (an unclosed bracket or quote) points past the text: show the last line written.
  let shownLine = Math.min(line, lines.length);
  while (shownLine > 1 && !(lines[shownLine - 1] ?? "").trim()) shownLine--;
  const raw = (lines[shownLine - 1] ?? "").replace(/[\p{Cc}\p{Cf}]/gu, " ").trimEnd();
  const excerpt = raw.length > EXCERPT_MAX ? `${raw.slice(0, EXCERPT_MAX - 1)}…` : raw;
  return `${source}:${line}:${col}: not valid YAML: ${what}${excerpt.trim() ? ` — line ${shownLine}: "${excerpt}"` : ""}`;
}

/** YAML text → raw config. An empty file is an empty config; text that is not YAML is a ConfigError naming `source`. */
export function readConfigYaml(text: string, source: string): unknown {
  try {
    return parse(text, { maxAliasCount: CONFIG_MAX_ALIASES, logLevel: "error" }) ?? {};
  } catch (error) {
    throw new ConfigError([yamlProblem(error, text, source)]);
  }
}

/** Raw config → validated Config against the rule registry; each problem names its key path (and `source`, when given). */
export function loadConfig(raw: unknown, rules: readonly Rule[], source?: string): Config {
  try {
    return parseConfig(raw, rules);
  } catch (error) {
    if (error instanceof ConfigError && source) throw new ConfigError(error.problems.map((p) => `${source}: ${p}`));
    throw error;
  }
}

/** YAML text → validated Config. */
export function loadConfigYaml(text: string, rules: readonly Rule[], source: string): Config {
  return loadConfig(readConfigYaml(text, source), rules, source);
}
