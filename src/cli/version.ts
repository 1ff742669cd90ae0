import { readFileSync } from "node:fs";

interface PackageJson {
  version?: string;
  repository?: string | { url?: string };
}

function readPackage(): PackageJson {
  try {
    return JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as PackageJson;
  } catch {
    return {};
  }
}

const pkg = readPackage();

export const VERSION = pkg.version ?? "0.0.0";

/**
 * The project's home page, from the one place it is written: package.json `repository` (`git+https://…/x.git` →
 * `https://…/x`). SARIF links each rule to its section of docs/rules.md there.
 */
export const REPOSITORY_URL: string | undefined = (() => {
  const raw = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  const url = raw?.replace(/^git\+/, "").replace(/\.git$/, "");
  return url && /^https:\/\/\S+$/.test(url) ? url : undefined;
})();

/** docs/rules.md on the default branch of the repository (each rule is a `### <id>` heading there). */
export const RULES_DOC_URL = REPOSITORY_URL ? `${REPOSITORY_URL}/blob/main/docs/rules.md` : undefined;
