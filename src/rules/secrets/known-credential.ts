import { formatPath, type JsonPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import { credentialDigest } from "../../core/value-digest.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { isPlainObject } from "../../parse/classify.js";
import { getIn } from "../../parse/workloads.js";
import { article, credentialsUnder, findCredentials, type CredentialHit } from "./_credentials.js";
import { shownPath } from "./_mask.js";
import { sopsInfo } from "./_sops.js";
import { OffsetPaths } from "./_yaml-paths.js";
import { describeDoc, owningDoc } from "./_where.js";

const NO_RESOURCE = { apiVersion: null, kind: null, namespace: null, name: null };

/** SOPS ciphertext in the raw text: hits inside it are random bytes, not credentials. No `[` inside, so each is read once. */
const SOPS_CIPHERTEXT = /ENC\[[A-Z0-9_]{1,32},[^\][\n]*\]/g;

/** Ciphertext spans, in text order. */
function cipherSpans(text: string): Array<[number, number]> {
  if (!text.includes("ENC[")) return [];
  return [...text.matchAll(SOPS_CIPHERTEXT)].map((m): [number, number] => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
}

/** Ciphertext by design: SealedSecret `spec.encryptedData` (and the legacy `spec.data`) and a SOPS document's own `sops:` block. */
function isCiphertext(doc: ParsedDoc, path: JsonPath): boolean {
  if (doc.resource.kind === "SealedSecret" && path[0] === "spec" && (path[1] === "encryptedData" || path[1] === "data")) return true;
  return path[0] === "sops" && sopsInfo(doc.value) !== null;
}

/** `NAME=` (or `export NAME="`) opening a `.env` line, up to the value. */
const ENV_LINE_NAME = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*["']?$/;

/** The variable a `.env`-style line assigns the text at `start` to (`VITE_FIREBASE_API_KEY=AIza…`), if any. */
function envLineName(text: string, start: number): string | undefined {
  const from = text.lastIndexOf("\n", start - 1) + 1;
  return ENV_LINE_NAME.exec(text.slice(from, start))?.[1];
}

/** The name a value at `path` is set under: its key, or the `name` beside an env entry's `value`. */
function nameAt(doc: ParsedDoc, path: JsonPath): string | undefined {
  const last = path[path.length - 1];
  if (last === "value") {
    const entry = getIn(doc.value, path.slice(0, -1));
    if (isPlainObject(entry) && typeof entry.name === "string") return entry.name;
  }
  return typeof last === "string" ? last : undefined;
}

export default defineRule({
  meta: {
    id: "secrets/known-credential",
    title: "Known credential format",
    severity: "critical",
    judgesCommittedContent: true,
    // The token under a credential-like name (`OPENAI_API_KEY: sk-…`, `env[].value`, a Helm `apiKey:`) is one
    // credential: this finding, which names its type, stands for theirs on that value.
    subsumes: ["secrets/literal-env-secret", "secrets/sensitive-config-value"],
    description:
      "Text anywhere in a changed YAML or `.env` file (a generator's `envs:` input or one nothing reads: committed all the same), comments included, that matches a known credential format: AWS access key id with its secret access key, GitHub and GitLab tokens, Slack tokens and webhooks, Stripe live keys, Google API keys (not under a name compiled into a browser bundle such as `VITE_FIREBASE_API_KEY`: public there) and OAuth client secrets, npm tokens, SendGrid API keys, OpenAI and Anthropic API keys, Hugging Face, HashiCorp Vault, Tailscale, Sentry, Grafana service account, DigitalOcean, PyPI, Doppler, Atlassian, New Relic and Databricks tokens, Telegram bot tokens, private key blocks, OpenVPN static keys, age secret keys, signed JWTs (not one whose payload role is `anon`, Supabase's public anon key).",
    rationale:
      "These formats are issued credentials that work as they are: once pushed, automated scanners harvest them from public repositories within minutes, and in a private repository every clone, fork and CI log has them. Deleting the line does not remove it from the Git history.",
    fix: "Revoke or rotate the credential now, then remove it and load it from a Secret store (SOPS, Sealed Secrets, External Secrets) instead.",
    example: {
      bad: "# ci token: ghp_<36 characters>\napiVersion: v1\nkind: ConfigMap\n",
      good: "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\n",
    },
  },
  checkFile(ctx) {
    const text = ctx.file.text;
    if (!text) return;
    const hits = findCredentials(text);
    if (hits.length === 0) return;
    /** A browser key under a name compiled into a browser bundle is public by design (see `credentialsUnder`). */
    const publicUnder = (hit: CredentialHit, name: string | undefined): boolean => credentialsUnder(name, [hit]).length === 0;
    const ciphers = cipherSpans(text);
    const paths = new OffsetPaths(text);
    let c = 0; // hits and ciphertext spans are both in text order: one sweep finds the overlaps
    for (const hit of hits) {
      while (c < ciphers.length && ciphers[c]![1] <= hit.start) c++;
      if (c < ciphers.length && ciphers[c]![0] < hit.end) continue;
      const doc = owningDoc(ctx.file.docs, hit.start);
      if (!doc) {
        if (publicUnder(hit, envLineName(text, hit.start))) continue; // `.env`: `VITE_FIREBASE_API_KEY=AIza…`
        // No readable document (only comments, invalid YAML, a Helm template): the text still leaks it.
        ctx.report({
          path: [],
          range: ctx.file.rangeOf(hit.start, hit.end),
          docIndex: 0,
          resource: NO_RESOURCE,
          severity: hit.severity,
          message: `${ctx.file.path} contains ${article(hit.label)} ${hit.label}.`,
          valueDigests: [credentialDigest(text.slice(hit.start, hit.end))],
        });
        continue;
      }
      const inDoc = doc.contains(hit.start);
      const found = inDoc ? paths.pathAt(doc.index, doc.span, hit.start) : null;
      if (isCiphertext(doc, found ?? []) || (found !== null && publicUnder(hit, nameAt(doc, found)))) continue;
      const path = shownPath(found ?? []);
      const where = found === null ? "in a comment" : path.length > 0 ? `at ${formatPath(path)}` : "at the top level";
      ctx.report({
        path,
        range: doc.rangeOf(hit.start, hit.end),
        docIndex: doc.index,
        severity: hit.severity,
        message: `${describeDoc(doc)} contains ${article(hit.label)} ${hit.label} ${where}.`,
        valueDigests: [credentialDigest(text.slice(hit.start, hit.end))],
      });
    }
  },
});
