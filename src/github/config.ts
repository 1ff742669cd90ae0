import type { Context } from "probot";
import { CONFIG_PATH, ConfigError } from "../core/config.js";
import { readConfigYaml } from "../core/config-loader.js";
import { httpStatus } from "./client.js";

export type ConfigSource = Pick<Context, "octokit" | "repo">;

type Raw = Record<string, unknown>;

const isMapping = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The configs of an `_extends` chain merged as Probot's `context.config` merges them (deepmerge), with one difference
 * asked for: lists replace the inherited list instead of extending it. `configs` runs from the most inherited to the
 * repository's own; later values win; mappings merge key by key.
 */
export function mergeConfigs(configs: readonly Raw[]): Raw {
  const merge = (into: Raw, from: Raw): Raw => {
    const out: Raw = { ...into };
    for (const [key, value] of Object.entries(from)) out[key] = isMapping(value) && isMapping(out[key]) ? merge(out[key], value) : value;
    return out;
  };
  return configs.reduce<Raw>((acc, c) => merge(acc, c), {});
}

/**
 * Loads the raw repository config: `.github/gitops-guard.yml` of the repository the event belongs to, on its default
 * branch (the PR's base), never the PR head — one read. No file: the defaults. Org-wide defaults come through
 * `_extends` (DESIGN), followed with Probot's loader (`octokit.config.get`): the repository's own values win, and its
 * lists replace (not extend) the inherited ones. Probot's implicit fallback to the owner's `.github` repository is not
 * used: it would cost every repository without a file a second read, over the request budget of every review
 * (DESIGN, Budgets); `_extends: .github` asks for it explicitly. A file that cannot be read as YAML, a bad `_extends`,
 * or an `_extends` whose repository or file is not there (Probot's loader would quietly fall back to the defaults:
 * the organisation's policy would silently not apply) is a ConfigError (the check run says so); an HTTP failure is an
 * internal error.
 */
export async function loadRawConfig(source: ConfigSource): Promise<unknown> {
  const { owner, repo } = source.repo() as { owner: string; repo: string };
  const own = await readConfigFile(source, { owner, repo, path: CONFIG_PATH }, CONFIG_PATH);
  if (own === null) return {};
  // The chain, from the repository's own file to the most inherited one.
  const chain: Raw[] = [];
  const seen = new Set<string>([`${owner}/${repo}:${CONFIG_PATH}`]);
  let current: unknown = own;
  let currentOwner: string = owner;
  for (;;) {
    if (!isMapping(current) || !("_extends" in current)) {
      chain.push(current as Raw);
      break;
    }
    const { _extends: extendsValue, ...rest } = current;
    chain.push(rest);
    const target = extendsTarget(extendsValue, currentOwner);
    const key = `${target.owner}/${target.repo}:${target.path}`;
    if (seen.has(key) || seen.size > MAX_EXTENDS) throw new ConfigError([`_extends: ${key} is extended twice (a cycle) or the chain is longer than ${MAX_EXTENDS}`]);
    seen.add(key);
    const next = await readConfigFile(source, target, key);
    if (next === null) {
      throw new ConfigError([`_extends: repository ${target.owner}/${target.repo} not found or not readable (looked for ${target.path} on its default branch; is the App installed there?)`]);
    }
    current = next;
    currentOwner = target.owner;
  }
  if (chain.length === 1) return own;
  if (!chain.every(isMapping)) throw new ConfigError(["an `_extends` chain must hold mappings only"]);
  return mergeConfigs(chain.reverse());
}

/** The longest `_extends` chain followed. */
const MAX_EXTENDS = 10;

/** `_extends` as Probot reads it: `repo`, `owner/repo`, either with `:path/to/file.yml`. */
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

function extendsTarget(value: unknown, owner: string): { owner: string; repo: string; path: string } {
  const m = typeof value === "string" ? EXTENDS.exec(value) : null;
  if (!m) throw new ConfigError([`_extends: ${JSON.stringify(value)} is not a repository (use \`repo\`, \`owner/repo\` or \`owner/repo:path/file.yml\`)`]);
  return { owner: m[1] || owner, repo: m[2]!, path: m[3] || CONFIG_PATH };
}

/**
 * A config file on its repository's default branch (raw, or the JSON contents object a GitHub-compatible server may
 * answer with), parsed (`where` names it in errors); null when there is none (404). An HTTP failure is an internal error.
 */
async function readConfigFile(source: ConfigSource, at: { owner: string; repo: string; path: string }, where: string): Promise<unknown> {
  let data: unknown;
  try {
    ({ data } = await source.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...at, mediaType: { format: "raw" } }));
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
  if (typeof data === "string") return readConfigYaml(data, where);
  if (isMapping(data) && data.type === "file" && typeof data.content === "string") return readConfigYaml(Buffer.from(data.content, "base64").toString("utf8"), where);
  throw new ConfigError([`${where} must be a file`]);
}
