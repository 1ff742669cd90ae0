import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { blockLineRange } from "./_project-argocd-config.js";
import { argocdSecret, isTrue, lineIndexOf, parseClusterConfig, type ArgoSecretType } from "./_project-secrets.js";

const REPOSITORY: ReadonlySet<ArgoSecretType> = new Set(["repository", "repository-write"]);
const ANY_REPO: ReadonlySet<ArgoSecretType> = new Set(["repository", "repository-write", "repo-creds", "repo-write-creds"]);

/** Keys Argo CD reads as booleans, the Secret types it reads them for, and what they switch off. */
const FLAGS: ReadonlyArray<{ key: string; types: ReadonlySet<ArgoSecretType>; what: string }> = [
  { key: "insecure", types: REPOSITORY, what: "skips TLS certificate (and SSH host key) verification" },
  { key: "insecureIgnoreHostKey", types: REPOSITORY, what: "skips SSH host key verification" },
  { key: "insecureOCIForceHttp", types: ANY_REPO, what: "talks to the OCI registry over plain HTTP" },
];

export default defineRule({
  meta: {
    id: "argocd/insecure-connection",
    title: "Argo CD repository or cluster connection without verification",
    severity: "high",
    description:
      "A repository Secret (`argocd.argoproj.io/secret-type: repository`) with `insecure: \"true\"` or `insecureIgnoreHostKey: \"true\"`, a repository or credential-template Secret with `insecureOCIForceHttp: \"true\"`, or a cluster Secret whose `config` sets `tlsClientConfig.insecure: true`.",
    rationale:
      "Without certificate or host-key verification anyone on the network path (or controlling DNS) can impersonate the Git server, registry or Kubernetes API: serve Argo CD manifests of their choosing, which it then deploys with cluster-admin rights, and collect the credentials it sends.",
    fix: "Remove the insecure flag and trust the server properly: add its CA to `argocd-tls-certs-cm` (or `tlsClientConfig.caData`) and its SSH host key to `argocd-ssh-known-hosts-cm`.",
    example: {
      bad: "kind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  url: https://git.example.com/deploy\n  insecure: \"true\"\n",
      good: "kind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  url: https://git.example.com/deploy\n",
    },
  },
  checkDoc({ doc, file, report }) {
    const secret = argocdSecret(doc);
    if (!secret) return;
    for (const entry of secret.entries) {
      if (entry.text === null) continue;
      const flag = FLAGS.find((f) => f.key === entry.key && f.types.has(secret.type));
      if (flag && isTrue(entry.text)) {
        report({ path: entry.path, message: `${secret.label} sets ${entry.key}: Argo CD ${flag.what}.` });
      }
      if (entry.key === "config" && secret.type === "cluster") {
        const tls = parseClusterConfig(entry.text)?.tlsClientConfig;
        if (!isPlainObject(tls) || tls.insecure !== true) continue;
        const line = entry.field === "stringData" ? lineIndexOf(entry.text, /["']?insecure["']?\s*:\s*["']?true\b/) : -1;
        const range = line >= 0 ? blockLineRange(doc, file, entry.path, line, entry.text.split(/\r?\n/)[line] ?? "") : null;
        report({
          path: entry.path,
          ...(range ? { range } : {}),
          message: `${secret.label} config sets tlsClientConfig.insecure: Argo CD skips the cluster API server's certificate verification.`,
        });
      }
    }
  },
});
