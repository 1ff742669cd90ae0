import type { Context } from "probot";
import { CONFIG_PATH, ConfigError } from "../core/config.js";
import { readConfigYaml } from "../core/config-loader.js";
import { httpStatus } from "./client.js";

export type ConfigSource = Pick<Context, "config" | "octokit" | "repo">;

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
 * Loads the raw repository config with Probot's loader (`octokit.config.get`, what `context.config` calls): always
 * the default branch of the repository the event belongs to (the PR's base), never the PR head; without a file of its
 * own, the owner's `.github` repository's. With `_extends`, the repository's own values win, and its lists replace
 * (not extend) the inherited ones. A file that cannot be read as YAML, a bad `_extends`, or an `_extends` whose
 * repository or file is not there (Probot's loader would quietly fall back to the defaults: the organisation's policy
 * would silently not apply) is a ConfigError (the check run says so); an HTTP failure is an internal error.
 */
export async function loadRawConfig(source: ConfigSource): Promise<unknown> {
  try {
    const params = source.repo({ path: CONFIG_PATH });
    const { config, files } = await source.octokit.config.get<Raw>({ ...params, defaults: (configs: Raw[]) => mergeConfigs(configs) });
    const inherited = files.slice(files[0]?.config || params.repo === ".github" ? 1 : 2);
    const missing = inherited.find((f) => f.config === null);
    if (missing) {
      throw new ConfigError([`_extends: repository ${missing.owner}/${missing.repo} not found or not readable (looked for ${missing.path} on its default branch; is the App installed there?)`]);
    }
    return config;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (httpStatus(error) !== undefined || !(error instanceof Error)) throw error;
    if (isRawFormatQuirk(error)) return readAsJsonContents(source);
    throw new ConfigError([describeLoaderError(error)]);
  }
}

function describeLoaderError(error: Error): string {
  const message = error.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "");
  const cause = error.cause instanceof Error ? error.cause.message.split("\n")[0] : null;
  return cause ? `${message}: ${cause}` : message;
}

/**
 * Probot's loader asks for the raw file. A GitHub-compatible server that answers with the JSON
 * contents object instead looks to it like a directory (or like YAML that is not text).
 */
function isRawFormatQuirk(error: Error): boolean {
  return /is either a directory or a submodule/.test(error.message) || error.cause instanceof TypeError;
}

/** The repository's config file through the JSON contents API (no `_extends` on this path). */
async function readAsJsonContents(source: ConfigSource): Promise<unknown> {
  const { data } = await source.octokit.rest.repos.getContent(source.repo({ path: CONFIG_PATH }));
  if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string") {
    throw new ConfigError([`${CONFIG_PATH} must be a file`]);
  }
  return readConfigYaml(Buffer.from(data.content, "base64").toString("utf8"), CONFIG_PATH);
}
