import { defineRule } from "../../core/rule.js";
import { credentialDigest } from "../../core/value-digest.js";
import type { SourceRange } from "../../core/types.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc, ParsedFile } from "../../parse/yaml-file.js";
import { pemHits } from "../secrets/_credentials.js";
import type { Obj } from "./_project-appproject.js";
import { blockLineRange } from "./_project-argocd-config.js";
import { argocdSecret, isLiteral, isReferenceValue, lineIndexOf, parseClusterConfig, type SecretEntry } from "./_project-secrets.js";

/** Repository and credential-template keys that hold a secret, and how messages name them. */
const CREDENTIAL_KEYS: Readonly<Record<string, string>> = {
  password: "password",
  sshPrivateKey: "SSH private key",
  githubAppPrivateKey: "GitHub App private key",
  tlsClientCertKey: "TLS client key",
  bearerToken: "bearer token",
  gcpServiceAccountKey: "GCP service account key",
  azureServicePrincipalClientSecret: "Azure service principal secret",
};

/** Credentials inside a cluster Secret's `config` JSON. */
function configCredentials(config: Obj): string[] {
  const out: string[] = [];
  const literal = (v: unknown): boolean => typeof v === "string" && !isReferenceValue(v);
  if (literal(config.bearerToken)) out.push("bearer token");
  if (literal(config.password)) out.push("password");
  const tls = config.tlsClientConfig;
  if (isPlainObject(tls) && literal(tls.keyData)) out.push("TLS client key");
  return out;
}

/** Keys that hold a private key: a PEM block there counts only when it holds real key material (not `...`). */
const KEY_FIELDS = new Set(["sshPrivateKey", "githubAppPrivateKey", "tlsClientCertKey"]);

function describe(entry: SecretEntry): string[] {
  if (entry.key === "config") {
    if (entry.text === null) return [];
    const config = parseClusterConfig(entry.text);
    return config ? configCredentials(config) : [];
  }
  const name = CREDENTIAL_KEYS[entry.key];
  if (name === undefined) return [];
  if (KEY_FIELDS.has(entry.key) && entry.text?.includes("-----BEGIN ") && pemHits(entry.text).length === 0) return [];
  return [name];
}

/** The line of the first credential inside a `config: |` block, so the finding marks it. */
function configLineRange(doc: ParsedDoc, file: ParsedFile, entry: SecretEntry): SourceRange | null {
  if (entry.field !== "stringData" || entry.text === null) return null;
  const line = lineIndexOf(entry.text, /["']?(bearerToken|password|keyData)["']?\s*:/);
  return line < 0 ? null : blockLineRange(doc, file, entry.path, line, entry.text.split(/\r?\n/)[line] ?? "");
}

export default defineRule({
  meta: {
    id: "argocd/plaintext-repo-credentials",
    title: "Plaintext Argo CD repository or cluster credentials",
    severity: "critical",
    judgesCommittedContent: true,
    // Declared in Helm values (`extraObjects`), the same password is a literal value of the values file to
    // secrets/sensitive-config-value: this finding, which says what the Secret is, stands for it. So for a token of a
    // known format written as the password (`password: ghp_…`): secrets/known-credential reports that same value,
    // and this finding, whose fix already says to rotate it, stands for it (a PEM key block, reported at its first
    // line inside the key's value, is not the same place and stays its own finding).
    subsumes: ["secrets/sensitive-config-value", "secrets/known-credential"],
    description:
      "A Secret labelled `argocd.argoproj.io/secret-type: repository`, `repo-creds` (or their `-write` variants) or `cluster` with a literal `password`, `sshPrivateKey`, `githubAppPrivateKey`, `tlsClientCertKey`, `bearerToken`, `gcpServiceAccountKey` or `azureServicePrincipalClientSecret`, or a cluster `config` holding a bearer token, password or TLS client key, in `data` or `stringData`. References (`<path:...>`, `$VAR`, SOPS `ENC[...]`) and empty values are not reported.",
    rationale:
      "These credentials let Argo CD read (or write) every repository and administer every cluster it manages. Committed to Git they are readable by everyone with clone access, every CI job and every fork, and stay in the history after removal. A client-side apply also copies them into the `last-applied-configuration` annotation (CVE-2023-40029).",
    fix: "Remove the value from Git, rotate the credential, and deliver it through SealedSecrets, External Secrets, SOPS or argocd-vault-plugin instead.",
    example: {
      bad: "kind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  url: https://github.com/my-org/deploy\n  password: ghp_example\n",
      good: "kind: ExternalSecret\nmetadata:\n  name: deploy-repo\nspec:\n  target:\n    template:\n      metadata:\n        labels:\n          argocd.argoproj.io/secret-type: repository\n",
    },
  },
  checkDoc({ doc, file, report }) {
    const secret = argocdSecret(doc);
    if (!secret) return;
    for (const entry of secret.entries) {
      if (!isLiteral(entry)) continue;
      const what = describe(entry);
      if (what.length === 0) continue;
      const where = entry.key === "config" ? `${entry.field}.config` : entry.field;
      const range = entry.key === "config" ? configLineRange(doc, file, entry) : null;
      const digest = entry.text !== null ? { valueDigests: [credentialDigest(entry.text)] } : {};
      report({ path: entry.path, ...(range ? { range } : {}), message: `${secret.label} has a plaintext ${what.join(", ")} in ${where}.`, ...digest });
    }
  },
});
