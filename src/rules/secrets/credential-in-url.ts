import { formatPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import type { ParsedFile } from "../../parse/yaml-file.js";
import { sopsInfo } from "./_sops.js";
import { urlCredentials } from "./_urls.js";
import { isSopsEncrypted } from "./_values.js";
import { leaves, skipSopsBlock } from "./_walk.js";
import { describeDoc, rangeWithin } from "./_where.js";

/** Per file: whether its text can hold a URL with userinfo at all (searched once, not once per document). */
const urlText = new WeakMap<ParsedFile, boolean>();

function mayHoldUrlCredentials(file: ParsedFile): boolean {
  if (file.text === null) return true;
  let found = urlText.get(file);
  if (found === undefined) urlText.set(file, (found = file.text.includes("://") && file.text.includes("@")));
  return found;
}

export default defineRule({
  meta: {
    id: "secrets/credential-in-url",
    title: "Password embedded in a URL",
    severity: "high",
    description: "A string value (in any YAML document) containing a URL with a literal password in its userinfo: `scheme://user:password@host`.",
    rationale:
      "A password in a URL is committed in plain text, and URLs are copied into logs, error messages, process lists and Argo CD's UI; it also cannot be rotated without a commit.",
    fix: "Remove the password from the URL and pass it separately from a Secret (e.g. `$(DB_PASSWORD)` from `valueFrom.secretKeyRef`, or a repository credential Secret); rotate the committed password.",
    example: {
      bad: "env:\n  - name: DATABASE_URL\n    value: postgres://app:hunter2@db:5432/app\n",
      good: "env:\n  - name: DATABASE_URL\n    value: postgres://app:$(DB_PASSWORD)@db:5432/app\n",
    },
  },
  checkDoc({ doc, file, report }) {
    // A URL with userinfo needs "://" and "@" in the source; most files have no such text, so skip the walk.
    if (!mayHoldUrlCredentials(file)) return;
    const isSops = sopsInfo(doc.value) !== null;
    for (const { path, value } of leaves(doc.value, [], { skip: skipSopsBlock(isSops) })) {
      if (typeof value !== "string" || isSopsEncrypted(value)) continue;
      for (const url of urlCredentials(value)) {
        report({
          path,
          range: rangeWithin(file, doc, path, url.text, url.occurrence),
          message: `${describeDoc(doc)} embeds a password in the ${url.scheme} URL for host "${url.host}" at ${formatPath(path) || "the document root"}.`,
        });
      }
    }
  },
});
