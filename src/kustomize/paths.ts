/** Repository-relative POSIX paths. "" is the repository root. */

/** A relative path that is not already plain segments: empty, absolute, `//`, a trailing `/`, `.` or `..`. */
const NEEDS_NORMALISING = /^$|^\/|\/\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

/** Joins `rel` onto directory `dir` and normalises; null when the result escapes the repository. */
export function joinPath(dir: string, rel: string): string | null {
  // Plain segments (the usual `deployment.yaml`, `../base` aside): nothing to normalise.
  if (!NEEDS_NORMALISING.test(rel)) return dir === "" ? rel : `${dir}/${rel}`;
  // `./helmrelease.yaml`, as many kustomizations list their files: plain segments after the `./`, nothing to split.
  if (rel.startsWith("./")) {
    const rest = rel.slice(2);
    if (!NEEDS_NORMALISING.test(rest)) return dir === "" ? rest : `${dir}/${rest}`;
  }
  if (rel.startsWith("/")) return null;
  const parts = dir === "" ? [] : dir.split("/");
  for (const seg of rel.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join("/");
}

/** The path of `to` relative to directory `from` (both repository paths), as `filepath.Rel` gives it. */
export function relativePath(from: string, to: string): string {
  const a = from === "" ? [] : from.split("/");
  const b = to === "" ? [] : to.split("/");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/") || ".";
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

/** True when `inner` is `outer` or inside it. */
export function isWithin(inner: string, outer: string): boolean {
  return outer === "" || inner === outer || inner.startsWith(`${outer}/`);
}

/** Normalises a user-given repository path ("./a/b/", "a//b") to the canonical form; null if it escapes. */
export function normalizePath(path: string): string | null {
  return joinPath("", path);
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com[/:]|gitlab\.com[/:]|bitbucket\.org[/:]|git::)/i;

/** True for what kustomize would fetch over the network: URLs, git specs, `?ref=` and `.git` paths. */
export function looksRemote(path: string): boolean {
  return REMOTE.test(path) || /[?&](?:ref|version|submodules|timeout)=/.test(path) || /\.git(?:\/|$|\?|\/\/)/.test(path);
}
