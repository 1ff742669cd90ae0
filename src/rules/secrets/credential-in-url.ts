import { formatPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import { credentialDigest } from "../../core/value-digest.js";
import type { ParsedFile } from "../../parse/yaml-file.js";
import { shownPath } from "./_mask.js";
import { sopsInfo } from "./_sops.js";
import { urlCredentials } from "./_urls.js";
import { isSopsEncrypted } from "./_values.js";
import { leaves, skipSopsBlock } from "./_walk.js";
import { CappedReports, describeDoc, rangeWithin } from "./_where.js";

/** Whether a file's text has both "://" and "@": read once per file, not once per document (issue 12). */
const mayHaveUrls = new WeakMap<ParsedFile, boolean>();
function hasUrlText(file: ParsedFile): boolean {
  let v = mayHaveUrls.get(file);
  if (v === undefined) mayHaveUrls.set(file, (v = file.text === null || (file.text.includes("://") && file.text.includes("@"))));
  return v;
}

export default defineRule({
  meta: {
    id: "secrets/credential-in-url",
    title: "Password embedded in a URL",
    severity: "high",
    judgesCommittedContent: true,
    description:
      "A string value (in any YAML document) containing a URL with a literal password in its userinfo: `scheme://user:password@host` (the password may hold an unescaped `#`, `/`, `?` or `@`, as database URLs often do: it runs to the last `@` before the host, unless what follows an `@` is a host with a path or query parameters), or a token written as the user name (`https://<token>@github.com/…`). At most 100 findings per document; the rest are counted in one more finding.",
    rationale:
      "A password in a URL is committed in plain text, and URLs are copied into logs, error messages, process lists and Argo CD's UI; it also cannot be rotated without a commit.",
    fix: "Remove the password from the URL and pass it separately from a Secret (e.g. `$(DB_PASSWORD)` from `valueFrom.secretKeyRef`, or a repository credential Secret); rotate the committed password.",
    example: {
      bad: "env:\n  - name: DATABASE_URL\n    value: postgres://app:hunter2@db:5432/app\n",
      good: "env:\n  - name: DATABASE_URL\n    value: postgres://app:$(DB_PASSWORD)@db:5432/app\n",
    },
  },
  checkDoc(ctx) {
    const { doc, file } = ctx;
    // A URL with userinfo needs "://" and "@" in the source; most files have no such text, so skip the walk.
    if (!hasUrlText(file)) return;
    const out = new CappedReports(ctx, "URLs with a password");
    const isSops = sopsInfo(doc.value) !== null;
    for (const { path, value } of leaves(doc.value, [], { skip: skipSopsBlock(isSops) })) {
      if (typeof value !== "string" || isSopsEncrypted(value)) continue;
      for (const url of urlCredentials(value)) {
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
    }
    out.finish();
  },
});
