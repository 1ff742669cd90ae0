import { formatPath, type JsonPath } from "../../core/path.js";
import { defineRule, type DocContext } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { generatorLiterals } from "./_generator-literals.js";
import { isPlaintextSecretValue } from "./_secret-values.js";
import { sopsEncrypts, sopsInfo } from "./_sops.js";
import { isSopsEncrypted } from "./_values.js";
import { describeDoc } from "./_where.js";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function checkSecret(ctx: DocContext): void {
  const { doc, report } = ctx;
  const value = doc.value as Record<string, unknown>;
  const sops = sopsInfo(value);
  for (const section of ["data", "stringData"] as const) {
    const entries = value[section];
    if (!isPlainObject(entries)) continue;
    for (const [key, v] of Object.entries(entries)) {
      const path: JsonPath = [section, key];
      let unencryptedSops = false;
      if (sops) {
        if (typeof v === "string" && isSopsEncrypted(v)) continue;
        if (!sopsEncrypts(sops, [section, key])) continue; // SOPS is configured to leave it in the clear
        unencryptedSops = true;
      }
      if (!isPlaintextSecretValue(key, v, section === "data" ? "base64" : "text")) continue;
      report({
        path,
        message: unencryptedSops
          ? `${describeDoc(doc)} is SOPS-managed but ${formatPath(path)} is not encrypted: the plaintext value is committed.`
          : `${describeDoc(doc)} stores a plaintext value at ${formatPath(path)}.`,
      });
    }
  }
  checkLastApplied(ctx, value);
}

/** `kubectl apply` copies the whole Secret, data included, into this annotation. */
function checkLastApplied({ doc, report }: DocContext, value: Record<string, unknown>): void {
  const meta = value.metadata;
  const raw = isPlainObject(meta) && isPlainObject(meta.annotations) ? meta.annotations[LAST_APPLIED] : undefined;
  if (typeof raw !== "string" || !raw.includes("ata")) return;
  let applied: unknown;
  try {
    applied = JSON.parse(raw) as unknown;
  } catch {
    return;
  }
  if (!isPlainObject(applied)) return;
  let count = 0;
  for (const section of ["data", "stringData"] as const) {
    const entries = applied[section];
    if (!isPlainObject(entries)) continue;
    for (const [key, v] of Object.entries(entries)) if (isPlaintextSecretValue(key, v, section === "data" ? "base64" : "text")) count++;
  }
  if (count === 0) return;
  report({
    path: ["metadata", "annotations", LAST_APPLIED],
    message: `${describeDoc(doc)} carries ${count} plaintext value${count === 1 ? "" : "s"} in its ${LAST_APPLIED} annotation.`,
    fix: `Remove the ${LAST_APPLIED} annotation (it copies the Secret's data) and keep the Secret encrypted or external.`,
  });
}

/** Kustomize `secretGenerator[].literals: ["password=..."]`. */
function checkSecretGenerator({ doc, report }: DocContext): void {
  for (const lit of generatorLiterals(doc.value, "secretGenerator")) {
    if (!isPlaintextSecretValue(lit.key, lit.value, "text")) continue;
    report({
      path: lit.path,
      message: `Kustomize secretGenerator "${lit.generator}" has a plaintext literal for key "${lit.key}".`,
      fix: "Generate the Secret from an encrypted source (SOPS via KSOPS, Sealed Secrets) or an ExternalSecret instead of `literals`.",
    });
  }
}

export default defineRule({
  meta: {
    id: "secrets/plaintext-secret",
    title: "Plaintext Secret in the repository",
    severity: "critical",
    description:
      "A `kind: Secret` with a non-empty value under `data` or `stringData` that is not a reference or placeholder (also Kustomize `secretGenerator` literals and the `last-applied-configuration` copy of a Secret). Every key counts, neutral ones (`key`, `config.json`) included, except connection metadata (keys such as `username`, `url`, `host`, `port`, `*_ID`, `LOG_LEVEL`, or values shaped like a URL without a password, a host name, an email address, a version or a date) and public material (`tls.crt`, `ca.crt`, public keys). The keys of the built-in Secret types (`.dockerconfigjson`, `.dockercfg`, `password`, `ssh-privatekey`, `tls.key`, `token`) always count; a registry config is judged by its `auth`/`password`/token fields.",
    rationale:
      "Base64 is an encoding, not encryption: everyone who can clone the repository, every fork and every CI system can read a Secret committed in plain form, and it stays in the Git history after it is removed.",
    fix: "Encrypt the Secret (SOPS, Sealed Secrets) or replace it with an ExternalSecret / Vault reference, and rotate the value that was committed.",
    example: {
      bad: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n",
      good: "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: db\nspec:\n  secretStoreRef: { kind: ClusterSecretStore, name: vault }\n  data:\n    - secretKey: password\n      remoteRef: { key: db/password }\n",
    },
  },
  checkDoc(ctx) {
    const { doc } = ctx;
    if (doc.class === "kubernetes" && doc.resource.kind === "Secret" && doc.resource.apiVersion === "v1") checkSecret(ctx);
    if (doc.class === "kustomization") checkSecretGenerator(ctx);
  },
});
