import type { Src } from "./source.js";

/**
 * A reason the build cannot render a kustomization; caught at the API boundary and returned, never thrown out. `at`:
 * where the value the build refuses is written, when that is not the kustomization (an Application's `kustomize`
 * override that conflicts with it).
 */
export class BuildFailure extends Error {
  override name = "BuildFailure";
  constructor(
    message: string,
    readonly at: Src | null = null,
  ) {
    super(message);
  }
}

/**
 * `scheme://user:password@` and `scheme://token@` in a URL: the userinfo, up to the last `@` before the host (a
 * password may hold an unescaped `/`, `?` or `#`; masking a little too much is fine here).
 */
const USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s"'`<>]{0,512}@(?=[a-z0-9[])/gi;

/**
 * A failure's reason as it may be shown: notes, the check run, `render`'s stderr. A reason quotes what it could not
 * use (a remote resource URL, a path); credentials in a URL's userinfo are masked, so a note never carries one.
 */
export function shownReason(reason: string): string {
  return reason.includes("://") ? reason.replace(USERINFO, "$1***@") : reason;
}
