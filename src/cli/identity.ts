import { execFile } from "node:child_process";
import { repositoryIdentity } from "../core/repository.js";

/**
 * Which repository a CLI run reviews (`RepositoryView.identity`, host-less `owner/name`): `--repo-url` when given, else
 * the `origin` remote of the git work tree (`workTree`, null outside git), else unknown (undefined: every Argo CD
 * source counts as this repository's, as before). The remote's URL is read here, at the edge, never printed (it may
 * carry credentials): only the `owner/name` it names is kept.
 */
export async function cliIdentity(repoUrl: string | undefined, workTree: string | null): Promise<string | undefined> {
  if (repoUrl !== undefined) return repositoryIdentity(repoUrl) ?? undefined;
  if (workTree === null) return undefined;
  const url = await originUrl(workTree);
  return url === null ? undefined : (repositoryIdentity(url) ?? undefined);
}

/** `git remote get-url origin` (with `url.<base>.insteadOf` applied), or null when there is none or git fails. */
function originUrl(workTree: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", ["-C", workTree, "remote", "get-url", "origin"], { encoding: "utf8", timeout: 10_000 }, (err, stdout) => {
      const url = err ? "" : stdout.trim();
      resolve(url === "" ? null : url);
    });
  });
}
