/**
 * Pull requests to real overlay layouts (a held-out-style probe): each case is what Argo CD applies on both sides of
 * the pull request, and the review must say `new`, `existing` or `fixed` for what changed in the applied objects —
 * at the line the value was written, naming the roots that apply it.
 */
import { describe, expect, it } from "@jest/globals";
import type { ReviewResult } from "../../src/core/review.js";
import { credentialDigest } from "../../src/core/value-digest.js";
import { checkRunOutput } from "../../src/report/check-run-output.js";
import { toJsonReport } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/pr-comment.js";
import { toSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { API, lines, reviewRepo, type Files } from "../engine/kustomize-helpers.js";

/** `status rule file:line [roots]`, sorted: the whole review, not a filtered part of it. */
function review(r: ReviewResult): string[] {
  return r.findings.map((f) => `${f.status} ${f.ruleId} ${f.file}:${f.line} [${(f.renderedFrom ?? []).join(",")}]`).sort();
}

/** API with its root filesystem writable (one low finding at the container, line 17). */
const WRITABLE = API.replace("            readOnlyRootFilesystem: true\n", "");

describe("overlays of overlays: prod stays what its Application applies when prod-eu is put on top of it", () => {
  const main: Files = {
    "deploy/base/api.yaml": WRITABLE,
    "deploy/base/kustomization.yaml": lines("resources:", "  - api.yaml"),
    "deploy/overlays/dev/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: dev"),
    "deploy/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: prod"),
  };
  const prodEu = lines("resources:", "  - ../prod", "nameSuffix: -eu");
  const replicas = lines("replicas:", "  - name: api", "    count: 3");

  it("a PR that adds prod-eu over prod and edits prod: prod's base-line finding is not fixed (Argo CD still applies prod)", () => {
    const head: Files = {
      ...main,
      "deploy/overlays/prod-eu/kustomization.yaml": prodEu,
      "deploy/overlays/prod/kustomization.yaml": main["deploy/overlays/prod/kustomization.yaml"] + replicas,
    };
    const r = reviewRepo(main, head);
    expect(review(r)).toEqual(["new k8s/writable-root-filesystem deploy/base/api.yaml:17 [deploy/overlays/prod,deploy/overlays/prod-eu]"]);
    // New through prod-eu: the finding names the object prod-eu adds, not prod's, where the line already was.
    expect(r.findings[0]!.resource.name).toBe("api-eu");
  });

  it("a PR that deletes prod-eu and edits prod: the base line prod and dev still apply stays existing (not new, not fixed)", () => {
    const withEu: Files = { ...main, "deploy/overlays/prod-eu/kustomization.yaml": prodEu };
    const head: Files = { ...main, "deploy/overlays/prod/kustomization.yaml": main["deploy/overlays/prod/kustomization.yaml"] + replicas };
    const r = review(reviewRepo(withEu, head));
    // prod-eu's object is gone, but the line is not fixed: the overlays that read the files prod-eu read are rendered
    // on both sides (dev too), and prod-eu's finding at a line they still apply is not reported fixed.
    expect(r).toEqual(["existing k8s/writable-root-filesystem deploy/base/api.yaml:17 [deploy/overlays/dev,deploy/overlays/prod]"]);
  });

  it("a privileged patch the same PR writes into prod is new for both prod and prod-eu, at the patch line", () => {
    const head: Files = {
      ...main,
      "deploy/overlays/prod-eu/kustomization.yaml": prodEu,
      "deploy/overlays/prod/kustomization.yaml": `${main["deploy/overlays/prod/kustomization.yaml"]}${lines(
        "patches:", // 4
        "  - target: {kind: Deployment}", // 5
        "    patch: |-", // 6
        "      - op: add", // 7
        "        path: /spec/template/spec/containers/0/securityContext/privileged", // 8
        "        value: true", // 9
      )}`,
    };
    const r = reviewRepo(main, head);
    expect(review(r).filter((l) => !l.includes("writable-root"))).toEqual([
      "new k8s/privileged-container deploy/overlays/prod/kustomization.yaml:9 [deploy/overlays/prod,deploy/overlays/prod-eu]",
    ]);
    expect(r.findings.some((f) => f.status === "fixed")).toBe(false);
  });
});

describe("a base shared by an overlay that renders and one that falls back (a patch of a helmCharts object)", () => {
  const main: Files = {
    "app/base/api.yaml": API,
    "app/base/kustomization.yaml": lines("resources:", "  - api.yaml"),
    "app/prod/kustomization.yaml": lines("resources:", "  - ../base", "namespace: prod"),
    "app/with-redis/kustomization.yaml": lines(
      "resources:",
      "  - ../base",
      "helmCharts:",
      "  - name: redis",
      "    repo: https://charts.bitnami.com/bitnami",
      "    version: 18.1.0",
      "    releaseName: cache",
      // The review's lenient build leaves the chart out: this patch of its StatefulSet then aims at nothing.
      "patches:",
      "  - target: {kind: StatefulSet, name: cache-redis-master}",
      "    patch: '[{op: replace, path: /spec/replicas, value: 2}]'",
    ),
  };
  const hostPid = (text: string) => text.replace("      automountServiceAccountToken: false\n", "      automountServiceAccountToken: false\n      hostPID: true\n");

  it("a risk the PR writes into the base is one finding at the base line, not one per way it was judged", () => {
    const r = reviewRepo(main, { ...main, "app/base/api.yaml": hostPid(API) });
    expect(review(r)).toEqual(["new k8s/host-namespaces app/base/api.yaml:13 [app/prod]"]);
    expect(r.notes.some((n) => n.includes("app/with-redis was not rendered") && n.includes("helmCharts"))).toBe(true);
  });

  it("a risk already there stays one existing finding when the PR edits the base elsewhere", () => {
    const before = { ...main, "app/base/api.yaml": hostPid(API) };
    const after = { ...main, "app/base/api.yaml": hostPid(API) + lines("---", "apiVersion: v1", "kind: ServiceAccount", "metadata: {name: api}") };
    const r = reviewRepo(before, after);
    expect(review(r)).toEqual(["existing k8s/host-namespaces app/base/api.yaml:13 [app/prod]"]);
  });
});

describe("a committed credential in a base: overlays that stop (or start) applying it do not fix (or add) it", () => {
  // A placeholder-free value made up for the test; findings never echo it.
  const secret = (extra = "") =>
    lines("apiVersion: v1", "kind: Secret", "metadata:", "  name: api-db", ...(extra ? [extra] : []), "type: Opaque", "stringData:", "  DB_PASSWORD: Zq8vN2pLx4Wm");
  const deleteSecret = lines(
    "patches:",
    "  - patch: |-",
    "      $patch: delete",
    "      apiVersion: v1",
    "      kind: Secret",
    "      metadata:",
    "        name: api-db",
  );
  const main: Files = {
    "app/base/api.yaml": API,
    "app/base/secret.yaml": secret(),
    "app/base/kustomization.yaml": lines("resources:", "  - api.yaml", "  - secret.yaml"),
    "app/dev/kustomization.yaml": lines("resources:", "  - ../base", "namespace: dev"),
    "app/prod/kustomization.yaml": lines("resources:", "  - ../base", "namespace: prod"),
  };
  const bothDelete: Files = {
    ...main,
    "app/dev/kustomization.yaml": main["app/dev/kustomization.yaml"] + deleteSecret,
    "app/prod/kustomization.yaml": main["app/prod/kustomization.yaml"] + deleteSecret,
  };

  it("every overlay deletes the base Secret, the base file untouched: the password is still committed, nothing is fixed", () => {
    expect(review(reviewRepo(main, bothDelete))).toEqual([]);
  });

  it("the same PR also edits the Secret's file: one existing finding at the password's line, not new (nor fixed)", () => {
    const head = { ...bothDelete, "app/base/secret.yaml": secret("  labels: {app: api}") };
    expect(review(reviewRepo(main, head))).toEqual(["existing secrets/plaintext-secret app/base/secret.yaml:8 []"]);
  });

  it("a new overlay over that base applies a password already committed: existing, not new", () => {
    const head = { ...main, "app/staging/kustomization.yaml": lines("resources:", "  - ../base", "namespace: staging") };
    expect(review(reviewRepo(main, head))).toEqual(["existing secrets/plaintext-secret app/base/secret.yaml:7 [app/staging]"]);
  });

  it("a PR that removes the password from the base does fix it, for every overlay", () => {
    const head = { ...main, "app/base/secret.yaml": secret().replace("  DB_PASSWORD: Zq8vN2pLx4Wm\n", "  DB_PASSWORD: ''\n") };
    expect(review(reviewRepo(main, head))).toEqual(["fixed secrets/plaintext-secret app/base/secret.yaml:7 [app/dev,app/prod]"]);
  });

  it("a PR that writes a new Secret with a password into the base file is new, the old one existing", () => {
    const head = { ...main, "app/base/secret.yaml": `${secret()}---\n${secret().replace("api-db", "api-key").replace("Zq8vN2pLx4Wm", "Hk3mP9qRt7Vb")}` };
    expect(review(reviewRepo(main, head))).toEqual([
      "existing secrets/plaintext-secret app/base/secret.yaml:7 [app/dev,app/prod]",
      "new secrets/plaintext-secret app/base/secret.yaml:15 [app/dev,app/prod]",
    ]);
  });

  it("prod turns a literal env token into a secretKeyRef, the base untouched: the token is still committed, not fixed", () => {
    const withToken = API.replace("          image: ghcr.io/acme/api:1.0.0\n", "          image: ghcr.io/acme/api:1.0.0\n          env:\n            - name: API_TOKEN\n              value: Tk4sJ8wQ2nLp7Rz\n");
    const before: Files = { ...main, "app/base/api.yaml": withToken, "app/base/secret.yaml": secret().replace("Zq8vN2pLx4Wm", "''") };
    const after: Files = {
      ...before,
      "app/prod/kustomization.yaml": `${before["app/prod/kustomization.yaml"]}${lines(
        "patches:",
        "  - target: {kind: Deployment, name: api}",
        "    patch: |-",
        "      - op: replace",
        "        path: /spec/template/spec/containers/0/env/0",
        "        value: {name: API_TOKEN, valueFrom: {secretKeyRef: {name: api, key: token}}}",
      )}`,
    };
    expect(review(reviewRepo(before, after))).toEqual([]);
  });
});

describe("a plaintext secretGenerator literal moved from the base to one overlay (trial ov6): still committed", () => {
  const literal = lines("secretGenerator:", "  - name: app-secret", "    literals:", "      - PASSWORD=Zx81kLmq7vTr");
  const main: Files = {
    "base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: cfg", "data:", "  A: b"),
    "base/kustomization.yaml": lines("resources:", "  - cm.yaml") + literal,
    "overlays/dev/kustomization.yaml": lines("resources:", "  - ../../base"),
    "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
  };
  const moved: Files = {
    ...main,
    "base/kustomization.yaml": lines("resources:", "  - cm.yaml"),
    "overlays/dev/kustomization.yaml": main["overlays/dev/kustomization.yaml"] + literal,
  };

  it("prod stops applying it, but the same password is committed in dev's kustomization: not fixed for prod", () => {
    expect(review(reviewRepo(main, moved))).toEqual(["existing secrets/plaintext-secret overlays/dev/kustomization.yaml:6 [overlays/dev]"]);
  });

  it("moved with another value: the old password is gone from the repository, so prod's is fixed, and dev's is new", () => {
    const rotated = { ...moved, "overlays/dev/kustomization.yaml": moved["overlays/dev/kustomization.yaml"]!.replace("Zx81kLmq7vTr", "Pw93hQz7LmRt") };
    expect(review(reviewRepo(main, rotated))).toEqual([
      "fixed secrets/plaintext-secret base/kustomization.yaml:6 [overlays/prod]",
      "new secrets/plaintext-secret overlays/dev/kustomization.yaml:6 [overlays/dev]",
    ]);
  });

  it("a GitHub token moved from one committed file to another: still committed, so existing (not new, and not fixed)", () => {
    const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    const cm = (name: string) => lines("apiVersion: v1", "kind: ConfigMap", "metadata:", `  name: ${name}`, "data:", `  note: "ci ${token}"`);
    const before: Files = { ...main, "base/ci.yaml": cm("ci"), "base/kustomization.yaml": lines("resources:", "  - cm.yaml", "  - ci.yaml") };
    const after: Files = { ...main, "base/tools.yaml": cm("tools"), "base/kustomization.yaml": lines("resources:", "  - cm.yaml", "  - tools.yaml") };
    expect(review(reviewRepo(before, after)).filter((l) => l.includes("known-credential"))).toEqual(["existing secrets/known-credential base/tools.yaml:6 []"]);
  });

  it("the digests that match the values never leave the review: no finding, output or fingerprint carries them", () => {
    const rotated = { ...moved, "overlays/dev/kustomization.yaml": moved["overlays/dev/kustomization.yaml"]!.replace("Zx81kLmq7vTr", "Pw93hQz7LmRt") };
    const r = reviewRepo(main, rotated);
    expect(r.findings.map((f) => f.status).sort()).toEqual(["fixed", "new"]);
    for (const f of r.findings) expect(Object.keys(f)).not.toContain("valueDigests");
    const digests = ["Zx81kLmq7vTr", "Pw93hQz7LmRt"].map(credentialDigest);
    const outputs = [
      JSON.stringify(toJsonReport(r)),
      JSON.stringify(toSarif(r, ALL_RULES, { toolVersion: "0.0.0" })),
      renderText(r, { color: false }),
      renderMarkdown(r),
      JSON.stringify(checkRunOutput(r)),
      JSON.stringify(r),
    ];
    for (const out of outputs) for (const d of digests) expect(out).not.toContain(d);
  });
});
