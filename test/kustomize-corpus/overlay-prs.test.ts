/**
 * Held-out-style cases built from real overlay layouts (fixtures/*: base → overlay → overlay of the overlay, a
 * debug-sidecar component, staging/prod overlays of one base, an Argo CD install overlay, targeted patches): each
 * test is the review of a pull request that changes only an overlay. Findings Argo CD's applied objects would
 * not have must be absent, findings the overlay introduces must be present, each at the line the author wrote.
 * Every case first checks with `kubectl kustomize` (Debian's kubectl, Kustomize v5.5.0) that the applied object
 * really has, or lacks, the setting the assertions rely on.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import type { ReviewResult } from "../../src/core/review.js";
import { lines, reviewRepo, type Files } from "../engine/kustomize-helpers.js";

const FIXTURES = resolve(process.cwd(), "test/kustomize-corpus/fixtures");

/** A fixture folder as a repository: its files by repository-relative path. */
function fixture(name: string): Files {
  const root = join(FIXTURES, name);
  const out: Files = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p).split("\\").join("/")] = readFileSync(p, "utf8");
    }
  };
  walk(root);
  return out;
}

/** What Argo CD applies for `dir` of a repository: `kubectl kustomize` on a copy of its files. */
function applied(files: Files, dir: string): Array<Record<string, unknown>> {
  const tmp = mkdtempSync(join(tmpdir(), "gg-overlay-pr-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tmp, path)), { recursive: true });
      writeFileSync(join(tmp, path), text);
    }
    const out = execFileSync("kubectl", ["kustomize", dir], { cwd: tmp, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return parseAllDocuments(out).map((d) => d.toJS() as Record<string, unknown>);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

type Container = { name: string; image?: string; securityContext?: Record<string, unknown>; livenessProbe?: unknown; resources?: unknown };

function podSpec(obj: Record<string, unknown> | undefined): { containers: Container[]; hostNetwork?: boolean } {
  return (obj as { spec: { template: { spec: { containers: Container[]; hostNetwork?: boolean } } } }).spec.template.spec;
}

function object(objs: Array<Record<string, unknown>>, kind: string, name: string): Record<string, unknown> | undefined {
  return objs.find((o) => o.kind === kind && (o.metadata as { name?: string }).name === name);
}

/** `status rule file:line:column [roots]`, sorted: the whole review, not a filtered part of it. */
function review(r: ReviewResult): string[] {
  return r.findings.map((f) => `${f.status} ${f.ruleId} ${f.file}:${f.line}:${f.column} [${(f.renderedFrom ?? []).join(",")}]`).sort();
}

/** A strategic-merge patch of the "web" container of Deployment "web": the given lines start at line 10. */
function webContainerPatch(...container: string[]): string {
  return lines("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web", "spec:", "  template:", "    spec:", "      containers:", "        - name: web", ...container);
}

describe("a PR that changes only an overlay of an overlay (base → prod → prod-eu)", () => {
  const base = fixture("layered");
  const head: Files = {
    ...base,
    "apps/web/overlays/prod-eu/kustomization.yaml": `${base["apps/web/overlays/prod-eu/kustomization.yaml"]}${lines(
      "images:", // 7
      "  - name: registry.example.com/shop/web", // 8
      "    newTag: latest", // 9
      "patches:", // 10
      "  - path: debug.yaml", // 11
      "  - target:", // 12
      "      kind: Deployment", // 13
      "      name: web", // 14
      "    patch: |-", // 15
      "      - op: remove", // 16
      "        path: /spec/template/spec/containers/0/livenessProbe", // 17
    )}`,
    "apps/web/overlays/prod-eu/debug.yaml": webContainerPatch(
      "          securityContext:",
      "            readOnlyRootFilesystem: false", // 11
    ),
  };

  it("kubectl: the applied prod-eu Deployment pulls :latest, has a writable root filesystem and no liveness probe", () => {
    const before = podSpec(object(applied(base, "apps/web/overlays/prod-eu"), "Deployment", "web-eu")).containers[0]!;
    expect(before).toMatchObject({ image: "registry.example.com/shop/web:2.4.1", securityContext: { readOnlyRootFilesystem: true } });
    expect(before.resources).toBeDefined();
    const after = podSpec(object(applied(head, "apps/web/overlays/prod-eu"), "Deployment", "web-eu")).containers[0]!;
    expect(after).toMatchObject({ image: "registry.example.com/shop/web:latest", securityContext: { readOnlyRootFilesystem: false } });
    expect(after.livenessProbe).toBeUndefined();
  });

  it("reports exactly what prod-eu introduces: the images: tag line, the patch line, and the removed probe at its `op: remove`", () => {
    expect(review(reviewRepo(base, head))).toEqual([
      // A value the overlay removed is reported at the removal, the line the PR added (not at the base container).
      "new k8s/missing-probes apps/web/overlays/prod-eu/kustomization.yaml:16:9 [apps/web/overlays/prod-eu]",
      "new k8s/writable-root-filesystem apps/web/overlays/prod-eu/debug.yaml:11:37 [apps/web/overlays/prod-eu]",
      "new image/mutable-tag apps/web/overlays/prod-eu/kustomization.yaml:9:13 [apps/web/overlays/prod-eu]",
    ].sort());
  });

  it("file by file the same PR reports the base's untagged image and missing resources, which prod already sets", () => {
    const raw = review(reviewRepo({}, head, { render: false }));
    expect(raw).toEqual(expect.arrayContaining(["new image/mutable-tag apps/web/base/deployment.yaml:25:18 []", "new k8s/missing-resources apps/web/base/deployment.yaml:24:11 []"]));
    // … and judges the patch as a whole Deployment, while the rendered review of the whole repository does not.
    const rendered = review(reviewRepo({}, head));
    expect(rendered.filter((f) => f.includes("base/deployment.yaml:25") || f.includes("missing-resources"))).toEqual([]);
  });
});

describe("a PR that adds a debug-sidecar component to one overlay", () => {
  const base = fixture("components");
  const head: Files = {
    ...base,
    "overlays/dev/kustomization.yaml": `${base["overlays/dev/kustomization.yaml"]}${lines("components:", "  - ../../components/debug-sidecar")}`,
  };

  it("kubectl: dev applies a privileged debug container beside web; prod does not", () => {
    const dev = podSpec(object(applied(head, "overlays/dev"), "Deployment", "web")).containers;
    expect(dev.map((c) => c.name).sort()).toEqual(["debug", "web"]);
    expect(dev.find((c) => c.name === "debug")!.securityContext).toMatchObject({ privileged: true });
    expect(podSpec(object(applied(head, "overlays/prod"), "Deployment", "web")).containers.map((c) => c.name)).toEqual(["web"]);
  });

  it("reports the sidecar's risks at the component's patch lines, rendered from dev only", () => {
    const dev = "[overlays/dev]";
    expect(review(reviewRepo(base, head))).toEqual([
      `new k8s/dangerous-capabilities components/debug-sidecar/sidecar.yaml:16:21 ${dev}`,
      `new k8s/dangerous-capabilities components/debug-sidecar/sidecar.yaml:16:34 ${dev}`,
      `new k8s/missing-probes components/debug-sidecar/sidecar.yaml:10:11 ${dev}`,
      `new k8s/missing-resources components/debug-sidecar/sidecar.yaml:10:11 ${dev}`,
      `new k8s/privileged-container components/debug-sidecar/sidecar.yaml:14:25 ${dev}`,
      `new k8s/writable-root-filesystem components/debug-sidecar/sidecar.yaml:10:11 ${dev}`,
    ].sort());
  });

  it("an unused component's patch is not judged as a Deployment of its own (kubectl renders it to nothing)", () => {
    expect(applied(base, "components/debug-sidecar").filter((o) => o !== null)).toEqual([]);
    expect(review(reviewRepo({}, base))).toEqual([]);
  });
});

describe("a PR that turns one setting on and another off in the staging overlay of a shared base", () => {
  const base = fixture("turn-on-off");
  const head: Files = {
    ...base,
    "overlays/staging/kustomization.yaml": `${base["overlays/staging/kustomization.yaml"]}${lines("patches:", "  - path: resources.yaml", "  - path: escalation.yaml")}`,
    "overlays/staging/resources.yaml": webContainerPatch(
      "          resources:",
      "            requests: {cpu: 100m, memory: 128Mi}",
      "            limits: {memory: 256Mi}",
    ),
    "overlays/staging/escalation.yaml": webContainerPatch(
      "          securityContext:",
      "            allowPrivilegeEscalation: true", // 11
    ),
  };

  it("kubectl: staging gains resources and allows escalation; prod keeps the base as it is", () => {
    const staging = podSpec(object(applied(head, "overlays/staging"), "Deployment", "web")).containers[0]!;
    expect(staging.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } });
    expect(staging.securityContext).toMatchObject({ allowPrivilegeEscalation: true });
    const prod = podSpec(object(applied(head, "overlays/prod"), "Deployment", "web")).containers[0]!;
    expect(prod.resources).toBeUndefined();
    expect(prod.securityContext).toMatchObject({ allowPrivilegeEscalation: false });
  });

  it("the base line's missing resources is fixed for staging, and the escalation is new at the patch line; prod is not touched", () => {
    const r = reviewRepo(base, head);
    expect(review(r)).toEqual([
      "fixed k8s/missing-resources base/deployment.yaml:24:11 [overlays/staging]",
      "new k8s/privilege-escalation overlays/staging/escalation.yaml:11:39 [overlays/staging]",
    ]);
    expect(r.findings.find((f) => f.ruleId === "k8s/privilege-escalation")!.severity).toBe("high");
  });
});

describe("a PR to an Argo CD install overlay: an images: mirror and argocd-cm literals", () => {
  const base = fixture("argocd-install");
  const overlay = "overlays/prod/kustomization.yaml";
  const head: Files = {
    ...base,
    [overlay]: base[overlay]!.replace("    newTag: v2.13.1\n", "    newName: registry.example.com/mirror/argocd\n").replace(
      "      - url=https://argocd.example.com\n",
      lines("      - url=https://argocd.example.com", "      - users.anonymous.enabled=true", "      - exec.enabled=true"),
    ),
  };

  it("kubectl: the mirror keeps the base's tag; argocd-cm (merged, no hash suffix) enables anonymous access and exec", () => {
    const objs = applied(head, "overlays/prod");
    expect(podSpec(object(objs, "Deployment", "argocd-server")).containers[0]!.image).toBe("registry.example.com/mirror/argocd:v2.13.0");
    expect(object(objs, "ConfigMap", "argocd-cm")!.data).toMatchObject({ "users.anonymous.enabled": "true", "exec.enabled": "true" });
  });

  it("reports the two literals at their lines in the overlay, and no mutable tag for the mirrored image", () => {
    expect(review(reviewRepo(base, head))).toEqual([
      "new argocd/anonymous-access overlays/prod/kustomization.yaml:14:9 [overlays/prod]",
      "new argocd/exec-enabled overlays/prod/kustomization.yaml:15:9 [overlays/prod]",
    ]);
  });

  it("a newTag override to latest is found at the newTag line; a digest override fixes it", () => {
    const latest = { ...base, [overlay]: base[overlay]!.replace("newTag: v2.13.1", "newTag: latest") };
    expect(review(reviewRepo(base, latest))).toEqual(["new image/mutable-tag overlays/prod/kustomization.yaml:8:13 [overlays/prod]"]);
    const digest = { ...base, [overlay]: base[overlay]!.replace("newTag: v2.13.1", `digest: sha256:${"ab".repeat(32)}`) };
    expect(podSpec(object(applied(digest, "overlays/prod"), "Deployment", "argocd-server")).containers[0]!.image).toBe(`quay.io/argoproj/argocd@sha256:${"ab".repeat(32)}`);
    expect(review(reviewRepo(latest, digest))).toEqual(["fixed image/mutable-tag overlays/prod/kustomization.yaml:8:13 [overlays/prod]"]);
  });
});

describe("a PR that adds targeted patches, a JSON 6902 file and a `$patch: delete` to a prod overlay", () => {
  const base = fixture("multi-target");
  const head: Files = {
    ...base,
    "overlays/prod/kustomization.yaml": `${base["overlays/prod/kustomization.yaml"]}${lines(
      "patches:", // 5
      "  - patch: |-", // 6
      "      $patch: delete", // 7
      "      apiVersion: apps/v1", // 8
      "      kind: DaemonSet", // 9
      "      metadata:", // 10
      "        name: node-debugger", // 11
      "  - path: host-network.yaml", // 12
      "    target:", // 13
      "      kind: Deployment", // 14
      "  - path: ops.yaml", // 15
      "    target:", // 16
      "      kind: Deployment", // 17
      "      name: worker", // 18
    )}`,
    "overlays/prod/host-network.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: any", "spec:", "  template:", "    spec:", "      hostNetwork: true"),
    "overlays/prod/ops.yaml": lines(
      "- op: replace",
      "  path: /spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem",
      "  value: false", // 3
      "- op: add",
      "  path: /spec/template/spec/containers/0/securityContext/capabilities/add",
      '  value: ["SYS_ADMIN"]', // 6
    ),
  };

  it("kubectl: the DaemonSet is gone, both Deployments use the host network, only worker has SYS_ADMIN and a writable root", () => {
    const objs = applied(head, "overlays/prod");
    expect(objs.map((o) => o.kind)).toEqual(["Deployment", "Deployment"]);
    expect(podSpec(object(objs, "Deployment", "web")).hostNetwork).toBe(true);
    expect(podSpec(object(objs, "Deployment", "worker")).containers[0]!.securityContext).toMatchObject({ readOnlyRootFilesystem: false, capabilities: { add: ["SYS_ADMIN"] } });
    expect(podSpec(object(objs, "Deployment", "web")).containers[0]!.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
  });

  it("the deleted DaemonSet's findings are fixed; the patches' risks are new at their lines; the base's gaps stay", () => {
    const r = reviewRepo(base, head);
    const prod = "[overlays/prod]";
    expect(review(r)).toEqual([
      // Neither the base nor the overlay sets resources for web and worker: unchanged by the PR.
      `existing k8s/missing-resources base/web.yaml:24:11 ${prod}`,
      `existing k8s/missing-resources base/worker.yaml:24:11 ${prod}`,
      // Everything the deleted DaemonSet carried (privileged-container stood for its escalation, capabilities and seccomp gaps).
      `fixed k8s/automount-service-account-token base/ds.yaml:11:5 ${prod}`,
      `fixed k8s/host-namespaces base/ds.yaml:12:16 ${prod}`,
      `fixed k8s/missing-probes base/ds.yaml:14:11 ${prod}`,
      `fixed k8s/missing-resources base/ds.yaml:14:11 ${prod}`,
      `fixed k8s/privileged-container base/ds.yaml:17:25 ${prod}`,
      `fixed k8s/run-as-root base/ds.yaml:14:11 ${prod}`,
      `fixed k8s/writable-root-filesystem base/ds.yaml:14:11 ${prod}`,
      `new k8s/dangerous-capabilities overlays/prod/ops.yaml:6:11 ${prod}`,
      // One line, two Deployments (the patch targets every Deployment): one finding at the line.
      `new k8s/host-namespaces overlays/prod/host-network.yaml:8:20 ${prod}`,
      `new k8s/writable-root-filesystem overlays/prod/ops.yaml:3:10 ${prod}`,
    ]);
  });
});

describe("a PR that adds a remote resource to an overlay (rendered without it, as the rest of the overlay is applied)", () => {
  const base = fixture("turn-on-off");
  const staging = "overlays/staging/kustomization.yaml";
  const head: Files = { ...base, [staging]: `${base[staging]}${lines("  - https://github.com/acme/monitoring//sidecar?ref=v1.0.0")}` };

  it("does not call the base's findings fixed: the applied object still lacks them, through the overlay's render", () => {
    // The base Deployment still has no resources in what staging applies (the remote part only adds objects).
    const local = { ...base, [staging]: `${base[staging]}${lines("  - sidecar.yaml")}`, "overlays/staging/sidecar.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: sidecar") };
    expect(podSpec(object(applied(local, "overlays/staging"), "Deployment", "web")).containers[0]!.resources).toBeUndefined();
    const r = reviewRepo(base, head);
    // The head builds staging without its remote resource (a note says so): the base Deployment's missing resources
    // is existing through staging's render — neither fixed nor new.
    expect(review(r)).toEqual(["existing k8s/missing-resources base/deployment.yaml:24:11 [overlays/staging]"]);
    expect(r.notes.filter((n) => n.includes("was not rendered"))).toEqual([]);
    expect(r.notes).toContain(
      'Kustomize: overlays/staging/kustomization.yaml: remote resource "https://github.com/acme/monitoring//sidecar?ref=v1.0.0" was left out (the in-process render reads no network): its objects are not judged',
    );
  });

  it("still finds a risk the same PR writes into the base, at the base line", () => {
    const risky = { ...head, "base/deployment.yaml": base["base/deployment.yaml"]!.replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true") };
    // Through prod and staging (built without its remote resource), both on both sides: one finding a line.
    expect(review(reviewRepo(base, risky))).toEqual([
      "existing k8s/missing-resources base/deployment.yaml:24:11 [overlays/prod,overlays/staging]",
      "new k8s/privilege-escalation base/deployment.yaml:38:39 [overlays/prod,overlays/staging]",
    ]);
  });
});

describe("a PR that adds a line to policy.csv in an overlay's argocd-rbac-cm patch", () => {
  const base = fixture("argocd-install");
  const patch = "overlays/prod/argocd-rbac-cm.yaml";
  const head: Files = { ...base, [patch]: `${base[patch]}${lines("    g, *, role:admin")}` };

  it("kubectl: the applied argocd-rbac-cm makes every user an admin", () => {
    const rbac = object(applied(head, "overlays/prod"), "ConfigMap", "argocd-rbac-cm")!;
    expect((rbac.data as Record<string, string>)["policy.csv"]).toContain("g, *, role:admin");
  });

  it("points at the policy line the PR adds, as the file-by-file review does, not at the whole block", () => {
    const r = reviewRepo(base, head);
    expect(review(r)).toEqual(["new argocd/rbac-default-policy overlays/prod/argocd-rbac-cm.yaml:10:5 [overlays/prod]"]);
    expect(r.findings[0]).toMatchObject({ endLine: 10, endColumn: 21 });
    expect(review(reviewRepo(base, head, { render: false }))).toEqual(["new argocd/rbac-default-policy overlays/prod/argocd-rbac-cm.yaml:10:5 []"]);
  });
});

describe("a PR that adds a secretGenerator with an .env file to an overlay", () => {
  const base = fixture("turn-on-off");
  const staging = "overlays/staging/kustomization.yaml";
  const head: Files = {
    ...base,
    [staging]: `${base[staging]}${lines("secretGenerator:", "  - name: web-db", "    literals:", "      - username=web", "  - name: web-api", "    envs:", "      - api.env")}`,
    "overlays/staging/api.env": lines("LOG_LEVEL=debug", "API_KEY=8f1c2e9a7b6d4c3e2f1a0b9c8d7e6f5a"),
  };

  it("kubectl: staging applies a Secret holding the API key", () => {
    const secret = applied(head, "overlays/staging").find((o) => o.kind === "Secret" && String((o.metadata as { name: string }).name).startsWith("web-api-"))!;
    expect(Buffer.from((secret.data as Record<string, string>).API_KEY!, "base64").toString()).toBe("8f1c2e9a7b6d4c3e2f1a0b9c8d7e6f5a");
  });

  it("reports the plaintext credential at its line in the .env file, not at a line of the kustomization", () => {
    expect(review(reviewRepo(base, head)).filter((f) => f.includes("secrets/"))).toEqual(["new secrets/plaintext-secret overlays/staging/api.env:2:9 [overlays/staging]"]);
  });
});

describe("a credential inside a multi-line config value, judged through the overlays", () => {
  const config = (extra: string[]): string =>
    lines(
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: app-config",
      "data:",
      "  application.properties: |",
      "    server.port=8080",
      ...extra,
      "    log.level=info",
    );
  const base: Files = {
    "apps/app/base/config.yaml": config([]),
    "apps/app/base/kustomization.yaml": lines("resources:", "  - config.yaml"),
    "apps/app/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: prod"),
  };
  const url = "https://deploy:Zq8vT2mW9xK4pL7n@git.example.com/repo.git";

  it("a base line: at the URL inside the block, as file by file", () => {
    const head = { ...base, "apps/app/base/config.yaml": config([`    upstream.url=${url}`]) };
    const r = reviewRepo(base, head);
    expect(review(r)).toEqual(["new secrets/credential-in-url apps/app/base/config.yaml:8:18 [apps/app/overlays/prod]"]);
    const raw = reviewRepo(base, head, { render: false });
    expect(review(raw)).toEqual(["new secrets/credential-in-url apps/app/base/config.yaml:8:18 []"]);
    const { line, column, endLine, endColumn } = raw.findings[0]!;
    expect(r.findings[0]).toMatchObject({ line, column, endLine, endColumn });
  });

  it("an overlay's patch line: at the URL inside the patch's block", () => {
    const overlay = "apps/app/overlays/prod/kustomization.yaml";
    const head = {
      ...base,
      [overlay]: `${base[overlay]}${lines("patches:", "  - path: config.yaml")}`,
      "apps/app/overlays/prod/config.yaml": config(["    log.format=json", `    upstream.url=${url}`]),
    };
    expect(object(applied(head, "apps/app/overlays/prod"), "ConfigMap", "app-config")!.data).toMatchObject({ "application.properties": expect.stringContaining(url) });
    expect(review(reviewRepo(base, head))).toEqual(["new secrets/credential-in-url apps/app/overlays/prod/config.yaml:9:18 [apps/app/overlays/prod]"]);
  });
});
