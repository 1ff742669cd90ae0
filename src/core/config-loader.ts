/**
 * The one config loader, for the CLI and the App alike: YAML text → raw object → validated Config. Pure: the
 * callers read the file (the CLI from disk or a git ref; the App through Probot's loader, which follows `_extends`
 * and the organisation's `.github` repository and parses with the same `yaml` package and the same alias cap).
 */
import { parse, parseAllDocuments, YAMLParseError } from "yaml";
import { ConfigError, parseConfig, type Config } from "./config.js";
import type { Rule } from "./rule.js";

/**
 * The `yaml` package's `maxAliasCount` for config files (a scalar may be aliased at most 99 times). It is the
 * package's default, so Probot's config loader (which takes no parser options) applies the same cap; tests check the
 * CLI and the App accept and refuse the same files.
 */
export const CONFIG_MAX_ALIASES = 100;

/** How configs are parsed: the alias cap, and warnings left to the schema. */
const YAML_OPTIONS = { maxAliasCount: CONFIG_MAX_ALIASES, logLevel: "error" } as const;

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
  const excerpt = (n: number): string => {
    const raw = (lines[n - 1] ?? "").replace(/[\p{Cc}\p{Cf}]/gu, " ").trimEnd();
    return raw.length > EXCERPT_MAX ? `${raw.slice(0, EXCERPT_MAX - 1)}…` : raw;
  };
  const first = excerpt(shownLine);
  const end = shownLine === line ? implicitKeyEnd(error, text) : null;
  if (end !== null && end <= lines.length) {
    return `${source}:${line}:${col}: not valid YAML: ${what} — lines ${line}–${end}: "${first}" … "${excerpt(end)}" (is line ${end} indented too far?)`;
  }
  return `${source}:${line}:${col}: not valid YAML: ${what}${first.trim() ? ` — line ${shownLine}: "${first}"` : ""}`;
}

/**
 * The line an error's implicit key runs into, when the `yaml` package reports one at the same place: an
 * over-indented line reads as the continuation of a key on the line above (MULTILINE_IMPLICIT_KEY, e.g. 3:23 → 4:19),
 * so the first error (`parse` throws it) names the line above the mistake. Null when there is none.
 */
function implicitKeyEnd(error: YAMLParseError, text: string): number | null {
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  let end: number | null = null;
  for (const doc of Array.isArray(docs) ? docs : []) {
    for (const e of doc.errors) {
      if (e.code !== "MULTILINE_IMPLICIT_KEY" || e.pos[0] !== error.pos[0] || !e.linePos?.[1]) continue;
      // A span that ends at the start of a line ends on the line before.
      const last = e.linePos[1].col === 1 ? e.linePos[1].line - 1 : e.linePos[1].line;
      if (last > e.linePos[0].line) end = Math.max(end ?? 0, last);
    }
  }
  return end;
}


/** YAML text → raw config. An empty file is an empty config; text that is not YAML is a ConfigError naming `source`. */
export function readConfigYaml(text: string, source: string): unknown {
  try {
    return parse(text, YAML_OPTIONS) ?? {};
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
