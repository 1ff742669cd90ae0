/**
 * The review judges what Argo CD applies: Kustomize roots rendered in process, findings at the line where the
 * value was written, fingerprints by root and rendered identity, one finding per source line naming the overlays.
 */
import { describe, expect, it } from "@jest/globals";
import { prepareReview, review } from "../../src/core/review.js";
import { parseConfig } from "../../src/core/config.js";
import { mapSide } from "../../src/core/repository.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { API, BARE_API, changesBetween, lines, NOW, only, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";


/** A Pod whose one container runs privileged: its k8s/privileged-container finding is at 8:37. */
const privilegedPod = (name: string): string =>
  lines("apiVersion: v1", "kind: Pod", `metadata: {name: ${name}}`, "spec:", "  containers:", "    - name: c", "      image: registry.example.com/app:1.0.0", "      securityContext: {privileged: true}");

/** A strategic-merge patch that pins the image and adds what the base leaves out; it carries a selector too. */
const PROD_PATCH = lines(
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: api",
  "spec:",
  "  selector:",
  "    matchLabels: {app: api}",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: api",
  "          image: ghcr.io/acme/api:1.1.0",
  "          resources:",
  "            requests: {cpu: 100m, memory: 128Mi}",
  "            limits: {memory: 256Mi}",
  "          readinessProbe:",
  "            httpGet: {path: /healthz, port: 8080}",
  "          livenessProbe:",
  "            httpGet: {path: /healthz, port: 8080}",
);

/**
 * Lines of a `helmCharts:` entry and a patch of one of the chart's objects: a kustomization with them does not render
 * in process (the review's lenient build leaves the chart out, and then the patch aims at nothing).
 */
const HELM_CHART = ["helmCharts:", "  - {name: monitoring, repo: https://charts.example.com, version: 1.0.0}", "patches:", "  - {target: {kind: Deployment, name: monitoring}, patch: '[{op: remove, path: /spec/replicas}]'}"];

describe("what Argo CD applies, not each file on its own (issue 11's real-repository cases)", () => {
  const repo: Files = {
    "apps/api/base/deployment.yaml": BARE_API,
    "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
    "apps/api/overlays/prod/kustomization.yaml": lines(
      "resources:",
      "  - ../../base",
      "namespace: prod",
      "images:",
      "  - name: ghcr.io/acme/api",
      "    newTag: 1.1.0",
      "patches:",
      "  - path: patch.yaml",
    ),
    "apps/api/overlays/prod/patch.yaml": PROD_PATCH,
  };

  it("does not report the base's untagged image, missing resources or probes when the only overlay sets them", () => {
    const r = scanRepo(repo);
    expect(where(r, "image/mutable-tag", "k8s/missing-resources", "k8s/missing-probes")).toEqual([]);
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: apps/api/overlays/prod");
  });

  it("does not judge a strategic-merge patch that carries an image and a selector as a whole Deployment", () => {
    const r = scanRepo(repo);
    expect(r.findings.filter((f) => f.file === "apps/api/overlays/prod/patch.yaml")).toEqual([]);
    // File by file (--no-render), the same patch looks like a Deployment that runs as root and so on.
    const raw = scanRepo(repo, { render: false });
    expect(raw.findings.filter((f) => f.file === "apps/api/overlays/prod/patch.yaml").map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(["k8s/run-as-root", "k8s/seccomp-unconfined"]),
    );
    expect(where(raw, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/deployment.yaml:18:18 new"]);
  });

  it("judges an ApplicationSet's cluster generator with the selector a component patches in", () => {
    const appset = lines(
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: ApplicationSet", // 2
      "metadata:", // 3
      "  name: guestbook", // 4
      "  namespace: argocd", // 5
      "spec:", // 6
      "  generators:", // 7
      "    - clusters: {}", // 8
      "  template:", // 9
      "    metadata: {name: '{{name}}-guestbook'}", // 10
      "    spec:", // 11
      "      project: apps", // 12
      "      source: {repoURL: https://github.com/acme/apps, targetRevision: v1.0.0, path: guestbook}", // 13
      "      destination: {server: '{{server}}', namespace: guestbook}", // 14
    );
    const files: Files = {
      "appsets/base/appset.yaml": appset,
      "appsets/base/kustomization.yaml": lines("resources:", "  - appset.yaml"),
      "appsets/components/prod-clusters/kustomization.yaml": lines(
        "apiVersion: kustomize.config.k8s.io/v1alpha1",
        "kind: Component",
        "patches:",
        "  - target: {kind: ApplicationSet}",
        "    patch: |-",
        "      - op: add",
        "        path: /spec/generators/0/clusters/selector",
        "        value: {matchLabels: {env: prod}}",
      ),
      "appsets/prod/kustomization.yaml": lines("resources:", "  - ../base", "components:", "  - ../components/prod-clusters"),
    };
    expect(where(scanRepo(files), "argocd/appset-unbounded-cluster-generator")).toEqual([]);
    expect(where(scanRepo(files, { render: false }), "argocd/appset-unbounded-cluster-generator")).toEqual([
      "argocd/appset-unbounded-cluster-generator appsets/base/appset.yaml:8:7 new",
    ]);
  });

  it("reads a JSON 6902 patch's values as kustomize does (YAML 1.1): `privileged: yes` is a privileged container, at the patch line", () => {
    const files: Files = {
      "apps/api/base/deployment.yaml": BARE_API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "apps/api/prod/kustomization.yaml": lines(
        "resources:", // 1
        "  - ../base", // 2
        "patches:", // 3
        "  - target: {kind: Deployment}", // 4
        "    patch: |-", // 5
        "      - op: add", // 6
        "        path: /spec/template/spec/containers/0/securityContext", // 7
        "        value:", // 8
        "          privileged: yes", // 9
        "      - op: add", // 10
        "        path: /spec/template/spec/hostNetwork", // 11
        '        value: "on"', // 12 (quoted: a string, as kustomize reads it too)
      ),
    };
    expect(where(scanRepo(files), "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/api/prod/kustomization.yaml:9:23 new"]);
    expect(where(scanRepo(files), "k8s/host-namespaces")).toEqual([]);
  });

  it("finds users.anonymous.enabled=true written into argocd-cm through configMapGenerator envs, at the .env line", () => {
    const files: Files = {
      "argocd/kustomization.yaml": lines(
        "namespace: argocd",
        "configMapGenerator:",
        "  - name: argocd-cm",
        "    envs:",
        "      - argocd-cm.env",
        "    options:",
        "      disableNameSuffixHash: true",
      ),
      "argocd/argocd-cm.env": lines("url=https://argo.example.com", "users.anonymous.enabled=true", "exec.enabled=false"),
    };
    const r = scanRepo(files);
    expect(where(r, "argocd/anonymous-access")).toEqual(["argocd/anonymous-access argocd/argocd-cm.env:2:25 new"]);
    expect(only(r, "argocd/anonymous-access")[0]).toMatchObject({
      resource: { kind: "ConfigMap", namespace: "argocd", name: "argocd-cm" },
      path: 'data["users.anonymous.enabled"]',
      renderedFrom: ["argocd"],
    });
    // File by file, nobody reads the .env file.
    expect(where(scanRepo(files, { render: false }), "argocd/anonymous-access")).toEqual([]);
  });

  it("finds a logstash pipeline's `password => \"…\"` in a file a secretGenerator reads, at its line", () => {
    const files: Files = {
      "logging/kustomization.yaml": lines("secretGenerator:", "  - name: logstash-pipeline", "    files:", "      - logstash.conf=files/logstash.conf"),
      "logging/files/logstash.conf": lines(
        "input { beats { port => 5044 } }",
        "output {",
        "  elasticsearch {",
        '    hosts => "10.0.0.5:9200"',
        '    user => "elastic"',
        '    password => "Vq8rL2xN7wKz"',
        "  }",
        "}",
      ),
    };
    expect(where(scanRepo(files), "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret logging/files/logstash.conf:6:5 new"]);
    // A placeholder or a variable there is no credential.
    const safe = (v: string): Files => ({ ...files, "logging/files/logstash.conf": files["logging/files/logstash.conf"]!.replace("Vq8rL2xN7wKz", v) });
    for (const v of ["${ES_PASSWORD}", "changeme", ""]) expect(where(scanRepo(safe(v)), "secrets/plaintext-secret")).toEqual([]);
  });

  it("a pull request that changes only a generator's .env file is reviewed through the render, not 'no files'", () => {
    const base: Files = {
      "argocd/kustomization.yaml": lines("namespace: argocd", "configMapGenerator:", "  - name: argocd-cm", "    envs:", "      - argocd-cm.env", "    options:", "      disableNameSuffixHash: true"),
      "argocd/argocd-cm.env": lines("url=https://argo.example.com", "exec.enabled=false"),
    };
    const clean = reviewRepo(base, { ...base, "argocd/argocd-cm.env": lines("url=https://argo.example.org", "exec.enabled=false") });
    expect(clean.findings).toEqual([]);
    expect(clean.filesReviewed).toBe(1);
    const risky = reviewRepo(base, { ...base, "argocd/argocd-cm.env": lines("url=https://argo.example.com", "users.anonymous.enabled=true") });
    expect(where(risky, "argocd/anonymous-access")).toEqual(["argocd/anonymous-access argocd/argocd-cm.env:2:25 new"]);
    expect(risky.filesReviewed).toBe(1);
    // A changed file nothing reads is not counted.
    expect(reviewRepo(base, { ...base, "docs/notes.md": "notes\n" }).filesReviewed).toBe(0);
  });
});

/** Overlays of overlays, a component, a JSON 6902 patch on a list index, `$patch: delete` and images overrides. */
const LAYERED: Files = {
  "apps/api/base/deployment.yaml": API.replace(
    "            capabilities: {drop: [ALL]}\n",
    lines(
      "            capabilities: {drop: [ALL]}", // 27
      "        - name: debug", // 28
      "          image: busybox:1.36.1", // 29
      "          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}", // 30
      "          securityContext:", // 31
      "            privileged: true", // 32
    ),
  ),
  "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
  // An overlay of the base that drops the debug sidecar …
  "apps/api/mid/kustomization.yaml": lines(
    "resources:",
    "  - ../base",
    "namePrefix: mid-",
    "patches:",
    "  - patch: |-",
    "      apiVersion: apps/v1",
    "      kind: Deployment",
    "      metadata:",
    "        name: api",
    "      spec:",
    "        template:",
    "          spec:",
    "            containers:",
    "              - name: debug",
    "                $patch: delete",
  ),
  // … and an overlay of that overlay, with a component and a JSON 6902 patch on containers/0.
  "apps/api/top/kustomization.yaml": lines(
    "resources:",
    "  - ../mid",
    "namespace: prod",
    "components:",
    "  - ../../components/host-network",
    "patches:",
    "  - path: json-ops.yaml",
    "    target:",
    "      kind: Deployment",
    "      name: mid-api",
  ),
  "apps/api/top/json-ops.yaml": lines(
    "- op: replace", // 1
    "  path: /spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation", // 2
    "  value: true", // 3
  ),
  "apps/components/host-network/kustomization.yaml": lines(
    "apiVersion: kustomize.config.k8s.io/v1alpha1", // 1
    "kind: Component", // 2
    "patches:", // 3
    "  - target:", // 4
    "      kind: Deployment", // 5
    "    patch: |-", // 6
    "      - op: add", // 7
    "        path: /spec/template/spec/hostNetwork", // 8
    "        value: true", // 9
  ),
  // Another overlay of the base keeps the sidecar and moves the image to a mutable tag.
  "apps/api/dev/kustomization.yaml": lines(
    "resources:", // 1
    "  - ../base", // 2
    "namespace: dev", // 3
    "images:", // 4
    "  - name: ghcr.io/acme/api", // 5
    "    newTag: latest", // 6
  ),
};

describe("supported features, end to end, at the line where each value was written", () => {
  const r = scanRepo(LAYERED);

  it("renders only the roots: an overlay of an overlay and another overlay, not the base or the middle", () => {
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: apps/api/dev, apps/api/top");
  });

  it("`$patch: delete` removes the privileged sidecar from what the overlay applies; the other overlay still has it, at the base line", () => {
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/api/base/deployment.yaml:32:25 new"]);
    expect(only(r, "k8s/privileged-container")[0]!.renderedFrom).toEqual(["apps/api/dev"]);
  });

  it("a JSON 6902 patch on a list index that introduces a risky value is found at the patch's value line", () => {
    expect(where(r, "k8s/privilege-escalation")).toEqual(["k8s/privilege-escalation apps/api/top/json-ops.yaml:3:10 new"]);
    expect(only(r, "k8s/privilege-escalation")[0]).toMatchObject({
      resource: { kind: "Deployment", namespace: "prod", name: "mid-api" },
      path: "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation",
    });
  });

  it("a component's patch is found in the component, at its inline patch line", () => {
    expect(where(r, "k8s/host-namespaces")).toEqual(["k8s/host-namespaces apps/components/host-network/kustomization.yaml:9:16 new"]);
  });

  it("an images: override that introduces a mutable tag is found at the override line", () => {
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/dev/kustomization.yaml:6:13 new"]);
    expect(only(r, "image/mutable-tag")[0]!.message).toContain('"ghcr.io/acme/api:latest"');
  });

  it("a value the render leaves unset is reported at the container's definition in the base", () => {
    expect(where(r, "k8s/missing-probes")).toEqual(["k8s/missing-probes apps/api/base/deployment.yaml:28:11 new"]);
  });
});

describe("one finding per source line, naming the overlays", () => {
  const base: Files = {
    "apps/web/base/deployment.yaml": API.replace("name: api", "name: web"),
    "apps/web/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
    "apps/web/overlays/staging/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: staging"),
    "apps/web/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: prod"),
  };
  const head: Files = {
    ...base,
    "apps/web/base/deployment.yaml": base["apps/web/base/deployment.yaml"]!.replace("allowPrivilegeEscalation: false", "privileged: true"),
  };

  it("a PR that changes only the base is judged by every overlay it reaches: one new finding at the base line", () => {
    const r = reviewRepo(base, head);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/web/base/deployment.yaml:25:25 new"]);
    const f = only(r, "k8s/privileged-container")[0]!;
    expect(f.renderedFrom).toEqual(["apps/web/overlays/prod", "apps/web/overlays/staging"]);
    expect(f.message).toMatch(/\[Kustomize: rendered from 2 overlays: apps\/web\/overlays\/prod, apps\/web\/overlays\/staging\]$/);
    expect(r.summary.new).toBe(1);
    expect(r.conclusion).toBe("failure");
  });

  it("is new when one overlay's finding is new and another's existed (a new overlay over a risky base)", () => {
    // The PR adds the prod overlay and bumps the base's image: both overlays are affected; staging had the
    // privileged container before, prod did not exist.
    const before = { ...head };
    delete before["apps/web/overlays/prod/kustomization.yaml"];
    const after = { ...head, "apps/web/base/deployment.yaml": head["apps/web/base/deployment.yaml"]!.replace("api:1.0.0", "api:1.0.1") };
    const r = reviewRepo(before, after);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/web/base/deployment.yaml:25:25 new"]);
    expect(only(r, "k8s/privileged-container")[0]!.renderedFrom).toEqual(["apps/web/overlays/prod", "apps/web/overlays/staging"]);
    expect(r.summary.new).toBe(1);
    expect(r.findings.filter((f) => f.status === "existing" && f.ruleId === "k8s/privileged-container")).toEqual([]);
  });

  it("merges the same base line even when an overlay moves the container to another list index", () => {
    const sidecar = lines("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web", "spec:", "  template:", "    spec:", "      containers:", "        - name: proxy", "          image: envoyproxy/envoy:v1.31.0");
    const withSidecar = {
      ...head,
      "apps/web/overlays/staging/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: staging", "patches:", "  - path: sidecar.yaml"),
      "apps/web/overlays/staging/sidecar.yaml": sidecar,
    };
    const r = reviewRepo(base, withSidecar);
    const priv = only(r, "k8s/privileged-container");
    expect(priv.map((f) => `${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["apps/web/base/deployment.yaml:25:25 new"]);
    expect(priv[0]!.renderedFrom).toEqual(["apps/web/overlays/prod", "apps/web/overlays/staging"]);
  });

  it("a sidecar an overlay's patch puts before the base's container keeps that container's findings existing", () => {
    // Kustomize's strategic merge puts a container the patch adds before the base's: the base container moves to
    // index 1. Its privileged finding is the same finding (fingerprints name the container), not new and fixed.
    const sidecar = lines("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web", "spec:", "  template:", "    spec:", "      containers:", "        - name: proxy", "          image: envoyproxy/envoy:v1.31.0");
    const withSidecar = {
      ...head,
      "apps/web/overlays/staging/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: staging", "patches:", "  - path: sidecar.yaml"),
      "apps/web/overlays/staging/sidecar.yaml": sidecar,
    };
    const r = reviewRepo(head, withSidecar);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/web/base/deployment.yaml:25:25 existing"]);
    expect(only(r, "k8s/privileged-container")[0]!.path).toBe("spec.template.spec.containers[1].securityContext.privileged");
    expect(r.summary.fixed).toBe(0);
    expect(r.findings.filter((f) => f.status === "new" && f.file === "apps/web/base/deployment.yaml")).toEqual([]);
  });

  it("an overlay that deletes the first container fixes that container's finding, not the next one's", () => {
    const two = lines(
      "apiVersion: apps/v1", // 1
      "kind: DaemonSet", // 2
      "metadata:", // 3
      "  name: agent", // 4
      "spec:", // 5
      "  template:", // 6
      "    spec:", // 7
      "      containers:", // 8
      "        - name: agent", // 9
      "          image: ghcr.io/acme/agent:1.0.0", // 10
      "          securityContext: {privileged: true}", // 11
      "        - name: debug", // 12
      "          image: ghcr.io/acme/debug:1.0.0", // 13
      "          securityContext: {privileged: true}", // 14
    );
    const before: Files = {
      "base/daemonset.yaml": two,
      "base/kustomization.yaml": lines("resources:", "  - daemonset.yaml"),
      "overlays/dev/kustomization.yaml": lines("resources:", "  - ../../base"),
    };
    const deleteAgent = lines("apiVersion: apps/v1", "kind: DaemonSet", "metadata:", "  name: agent", "spec:", "  template:", "    spec:", "      containers:", "        - name: agent", "          $patch: delete");
    const after: Files = {
      ...before,
      "overlays/dev/kustomization.yaml": lines("resources:", "  - ../../base", "patches:", "  - path: no-agent.yaml"),
      "overlays/dev/no-agent.yaml": deleteAgent,
    };
    const r = reviewRepo(before, after);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container base/daemonset.yaml:14:41 existing", "k8s/privileged-container base/daemonset.yaml:11:41 fixed"]);
  });

  it("a finding one overlay fixes at a base line others read says those still read it, unchanged", () => {
    const worker = lines(
      "apiVersion: apps/v1", // 1
      "kind: Deployment", // 2
      "metadata: {name: worker}", // 3
      "spec:", // 4
      "  selector: {matchLabels: {app: worker}}", // 5
      "  template:", // 6
      "    metadata: {labels: {app: worker}}", // 7
      "    spec:", // 8
      "      containers:", // 9
      "        - name: worker", // 10
      "          image: ghcr.io/acme/worker:1.0.0", // 11
      "          securityContext: {privileged: true}", // 12
    );
    const before: Files = {
      "base/deploy.yaml": worker,
      "base/kustomization.yaml": lines("resources:", "  - deploy.yaml"),
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: prod"),
      "overlays/staging/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: staging"),
    };
    const after: Files = {
      ...before,
      "overlays/staging/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: staging", "patches:", "  - path: no-worker.yaml"),
      "overlays/staging/no-worker.yaml": lines("$patch: delete", "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: worker}"),
    };
    const fixed = only(reviewRepo(before, after), "k8s/privileged-container");
    expect(fixed.map((f) => `${f.status} ${f.file}:${f.line}`)).toEqual(["fixed base/deploy.yaml:12"]);
    expect(fixed[0]!.message).toMatch(/\[Kustomize: rendered from overlays\/staging; overlays\/prod reads this file too, unchanged by this pull request\]$/);
    // A base change both overlays see: both rendered, nothing to add.
    const both = { ...before, "base/deploy.yaml": worker.replace("privileged: true", "privileged: false") };
    expect(only(reviewRepo(before, both), "k8s/privileged-container")[0]!.message).toMatch(/rendered from 2 overlays: overlays\/prod, overlays\/staging\]$/);
  });

  it("one patch line that reaches two containers gives one finding per container, not one for both", () => {
    const files: Files = {
      "base/deployment.yaml": lines(
        "apiVersion: apps/v1", // 1
        "kind: Deployment", // 2
        "metadata: {name: web}", // 3
        "spec:", // 4
        "  selector: {matchLabels: {app: web}}", // 5
        "  template:", // 6
        "    metadata: {labels: {app: web}}", // 7
        "    spec:", // 8
        "      securityContext: {runAsNonRoot: true, runAsUser: 1000}", // 9
        "      initContainers:", // 10
        "        - {name: migrate, image: ghcr.io/acme/migrate:1.0.0}", // 11
        "      containers:", // 12
        "        - {name: web, image: ghcr.io/acme/web:1.0.0}", // 13
      ),
      "base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "overlays/dev/kustomization.yaml": lines("resources:", "  - ../../base", "patches:", "  - path: no-pod-sc.yaml"),
      "overlays/dev/no-pod-sc.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      securityContext:", "        $patch: delete"),
    };
    const found = only(scanRepo(files), "k8s/run-as-root");
    expect(found.map((f) => `${f.file}:${f.line} ${f.message.slice(0, f.message.indexOf(" of "))}`).sort()).toEqual([
      'overlays/dev/no-pod-sc.yaml:8 Container "web"',
      'overlays/dev/no-pod-sc.yaml:8 Init container "migrate"',
    ]);
  });

  it("one images: line that reaches a container in each of two objects stays one finding naming both objects", () => {
    const deploy = (name: string) =>
      lines("apiVersion: apps/v1", "kind: Deployment", `metadata: {name: ${name}}`, "spec:", `  selector: {matchLabels: {app: ${name}}}`, "  template:", `    metadata: {labels: {app: ${name}}}`, "    spec:", "      containers:", `        - {name: ${name}, image: ghcr.io/acme/app:1.0.0}`);
    const files: Files = {
      "base/api.yaml": deploy("api"),
      "base/worker.yaml": deploy("worker"),
      "base/kustomization.yaml": lines("resources:", "  - api.yaml", "  - worker.yaml"),
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "images:", "  - name: ghcr.io/acme/app", "    newTag: latest"),
    };
    const found = only(scanRepo(files), "image/mutable-tag");
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(["overlays/prod/kustomization.yaml:5"]);
    expect(found[0]!.message).toMatch(/; 2 objects: .*api.*worker.*\]$/);
  });

  it("a component line that reaches a different object in each overlay names them all; a base line under each overlay's prefix does not (held-out round 24)", () => {
    const deploy = (name: string) =>
      lines("apiVersion: apps/v1", "kind: Deployment", `metadata: {name: ${name}}`, "spec:", `  selector: {matchLabels: {app: ${name}}}`, "  template:", `    metadata: {labels: {app: ${name}}}`, "    spec:", "      containers:", `        - {name: ${name}, image: ghcr.io/acme/${name}:1.0.0}`);
    const sidecar = lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "patches:", "  - target: {kind: Deployment}", "    patch: |-", "      - op: add", "        path: /spec/template/spec/containers/-", "      - value: {name: debug, image: busybox:1.36, securityContext: {privileged: true}}");
    const files: Files = {
      "base/carts/kustomization.yaml": lines("resources:", "  - deploy.yaml"),
      "base/carts/deploy.yaml": deploy("carts"),
      "base/orders/kustomization.yaml": lines("resources:", "  - deploy.yaml"),
      "base/orders/deploy.yaml": deploy("orders"),
      "components/debug/kustomization.yaml": sidecar.replace("      - value:", "        value:"),
      "overlays/carts/kustomization.yaml": lines("resources:", "  - ../../base/carts", "components:", "  - ../../components/debug"),
      "overlays/orders/kustomization.yaml": lines("resources:", "  - ../../base/orders", "components:", "  - ../../components/debug"),
    };
    const found = only(scanRepo(files), "k8s/privileged-container");
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(["components/debug/kustomization.yaml:8"]);
    expect(found[0]!.message).toMatch(/\[Kustomize: rendered from 2 overlays: overlays\/carts, overlays\/orders; 2 objects: Deployment\/carts, Deployment\/orders\]$/);
    // One base object under two prefixes: the overlays are named, not the objects.
    const prefixed: Files = {
      "base/kustomization.yaml": lines("resources:", "  - deploy.yaml"),
      "base/deploy.yaml": deploy("carts").replace("- {name: carts,", "- {securityContext: {privileged: true}, name: carts,"),
      "overlays/eu/kustomization.yaml": lines("namePrefix: eu-", "resources:", "  - ../../base"),
      "overlays/us/kustomization.yaml": lines("namePrefix: us-", "resources:", "  - ../../base"),
    };
    const base = only(scanRepo(prefixed), "k8s/privileged-container");
    expect(base.map((f) => f.message.slice(f.message.indexOf("[")))).toEqual(["[Kustomize: rendered from 2 overlays: overlays/eu, overlays/us]"]);
  });

  it("a Component no kustomization lists is not applied: no findings on its files, a note; listed by an overlay, judged there", () => {
    const agent = lines(
      "apiVersion: apps/v1", // 1
      "kind: Deployment", // 2
      "metadata: {name: web}", // 3
      "spec:", // 4
      "  selector: {matchLabels: {app: web}}", // 5
      "  template:", // 6
      "    metadata: {labels: {app: web}}", // 7
      "    spec:", // 8
      "      containers:", // 9
      "        - {name: web, image: ghcr.io/acme/web:1.0.0}", // 10
    );
    const before: Files = {
      "base/deployment.yaml": agent,
      "base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
    };
    const privileged = lines(
      "apiVersion: apps/v1", // 1
      "kind: Deployment", // 2
      "metadata: {name: web}", // 3
      "spec:", // 4
      "  template:", // 5
      "    spec:", // 6
      "      containers:", // 7
      "        - name: web", // 8
      "          securityContext: {privileged: true}", // 9
    );
    const withComponent: Files = {
      ...before,
      "components/debug/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "patches:", "  - path: privileged.yaml"),
      "components/debug/privileged.yaml": privileged,
    };
    const added = reviewRepo(before, withComponent);
    expect(added.findings.filter((f) => f.status === "new")).toEqual([]);
    expect(added.conclusion).toBe("success");
    expect(added.notes.some((n) => n.startsWith("components/debug/privileged.yaml: not judged as a manifest") && n.includes("Kustomize Component"))).toBe(true);
    expect(added.notes.join("\n")).not.toMatch(/components\/debug was not rendered/);
    expect(where(scanRepo(withComponent), "k8s/privileged-container")).toEqual([]);
    // The overlay that starts listing it applies it: judged at the component's line, new.
    const used: Files = { ...withComponent, "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "components:", "  - ../../components/debug") };
    expect(where(reviewRepo(withComponent, used), "k8s/privileged-container")).toEqual(["k8s/privileged-container components/debug/privileged.yaml:9:41 new"]);
  });

  it("an overlay that widens a base hostPath is shown at its own line: to the node's root, a new runtime-socket finding", () => {
    const agent = lines(
      "apiVersion: apps/v1", // 1
      "kind: DaemonSet", // 2
      "metadata: {name: agent}", // 3
      "spec:", // 4
      "  selector: {matchLabels: {app: agent}}", // 5
      "  template:", // 6
      "    metadata: {labels: {app: agent}}", // 7
      "    spec:", // 8
      "      containers:", // 9
      "        - {name: agent, image: ghcr.io/acme/agent:1.0.0}", // 10
      "      volumes:", // 11
      "        - name: logs", // 12
      "          hostPath:", // 13
      "            path: /var/log", // 14
    );
    const before: Files = {
      "base/daemonset.yaml": agent,
      "base/kustomization.yaml": lines("resources:", "  - daemonset.yaml"),
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
    };
    const widen = (to: string): Files => ({
      ...before,
      "overlays/prod/kustomization.yaml": lines(
        "resources:", // 1
        "  - ../../base", // 2
        "patches:", // 3
        "  - target: {kind: DaemonSet, name: agent}", // 4
        "    patch: |-", // 5
        `      - {op: replace, path: /spec/template/spec/volumes/0/hostPath/path, value: ${to}}`, // 6
      ),
    });
    const toRoot = reviewRepo(before, widen("/"));
    expect(where(toRoot, "k8s/container-runtime-socket")).toEqual(["k8s/container-runtime-socket overlays/prod/kustomization.yaml:6:81 new"]);
    // The host-path finding of /var/log is not fixed: the runtime-socket finding stands for that volume now.
    expect(where(toRoot, "k8s/host-path-volume")).toEqual([]);
    expect(toRoot.conclusion).toBe("failure");
    // Widened to the directory around it: new, shown where the overlay writes the new path; /var/log is still mounted
    // (not fixed). Pointed at an unrelated directory: new, and the /var/log mount is gone (fixed). Narrowed: existing.
    expect(where(reviewRepo(before, widen("/var")), "k8s/host-path-volume")).toEqual(["k8s/host-path-volume overlays/prod/kustomization.yaml:6:81 new"]);
    expect(where(reviewRepo(before, widen("/etc")), "k8s/host-path-volume").sort()).toEqual(["k8s/host-path-volume base/daemonset.yaml:14:19 fixed", "k8s/host-path-volume overlays/prod/kustomization.yaml:6:81 new"]);
    expect(where(reviewRepo(before, widen("/var/log/pods")), "k8s/host-path-volume")).toEqual(["k8s/host-path-volume overlays/prod/kustomization.yaml:6:81 existing"]);
    expect(where(reviewRepo(before, before), "k8s/host-path-volume")).toEqual([]);
    expect(where(scanRepo(before), "k8s/host-path-volume")).toEqual(["k8s/host-path-volume base/daemonset.yaml:14:19 new"]);
  });

  it("does not merge a base line an overlay makes more severe: the prod overlay's critical finding keeps its severity and fails the review", () => {
    const app = lines(
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: Application", // 2
      "metadata: {name: monitoring, namespace: argocd}", // 3
      "spec:", // 4
      "  project: monitoring", // 5
      "  source: {repoURL: https://github.com/acme/gitops.git, targetRevision: v1.0.0, path: monitoring}", // 6
      "  destination:", // 7
      "    server: https://kubernetes.default.svc", // 8
      "    namespace: monitoring", // 9
    );
    const toArgo = lines("resources:", "  - ../../base", "patches:", "  - target: {kind: Application, name: monitoring}", "    patch: |-", "      - {op: replace, path: /spec/destination/namespace, value: argocd}");
    const files: Files = {
      "platform/apps/base/app.yaml": app,
      "platform/apps/base/kustomization.yaml": lines("resources:", "  - app.yaml"),
      "platform/apps/overlays/dev/kustomization.yaml": lines("resources:", "  - ../../base"),
      "platform/apps/overlays/prod/kustomization.yaml": toArgo,
    };
    const r = scanRepo(files);
    const found = only(r, "argocd/app-in-cluster-destination").map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.renderedFrom!.join(",")}`);
    expect(found).toEqual(["platform/apps/base/app.yaml:8:13 critical platform/apps/overlays/prod", "platform/apps/base/app.yaml:8:13 medium platform/apps/overlays/dev"]);
    expect(r.conclusion).toBe("failure");
  });

  it("renaming an overlay's directory keeps its findings existing (renamed kustomization files are followed)", () => {
    const renamed: Files = { ...head };
    delete renamed["apps/web/overlays/prod/kustomization.yaml"];
    renamed["apps/web/overlays/production/kustomization.yaml"] = head["apps/web/overlays/prod/kustomization.yaml"]!;
    const { changed } = changesBetween(head, renamed);
    const r = review({
      changes: [{ path: "apps/web/overlays/production/kustomization.yaml", previousPath: "apps/web/overlays/prod/kustomization.yaml", status: "renamed", base: head["apps/web/overlays/prod/kustomization.yaml"]!, head: renamed["apps/web/overlays/production/kustomization.yaml"]! }],
      config: parseConfig({}, RULE_IDS),
      rules: ALL_RULES,
      now: NOW,
      repository: { base: mapSide(new Map(Object.entries(head))), head: mapSide(new Map(Object.entries(renamed))), changed },
    });
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/web/base/deployment.yaml:25:25 existing"]);
    expect(only(r, "k8s/privileged-container")[0]!.renderedFrom).toEqual(["apps/web/overlays/production"]);
    expect(r.summary).toMatchObject({ new: 0, fixed: 0 });
  });

  it("a kustomization added over a directory of plain manifests: the lines they had stay existing, what it changes is fixed or new", () => {
    const plain: Files = { "apps/api/deployment.yaml": BARE_API.replace("automountServiceAccountToken: false", "hostNetwork: true") };
    const adopted: Files = { ...plain, "apps/api/kustomization.yaml": lines("resources:", "  - deployment.yaml", "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.1.0") };
    const r = reviewRepo(plain, adopted);
    expect(where(r, "k8s/host-namespaces", "image/mutable-tag")).toEqual(["k8s/host-namespaces apps/api/deployment.yaml:12:20 existing", "image/mutable-tag apps/api/deployment.yaml:18:18 fixed"]);
    expect(only(r, "k8s/host-namespaces")[0]!.renderedFrom).toEqual(["apps/api"]);
    expect(r.summary.new).toBe(0);
    // The mutable tag the kustomization writes instead of the untagged image is the same finding, at its new line.
    const latest = { ...adopted, "apps/api/kustomization.yaml": adopted["apps/api/kustomization.yaml"]!.replace("newTag: 1.1.0", "newTag: latest") };
    expect(where(reviewRepo(plain, latest), "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/kustomization.yaml:5:13 existing"]);
    // A risky value it adds is new.
    const hostPid = { ...adopted, "apps/api/kustomization.yaml": `${adopted["apps/api/kustomization.yaml"]!}patches:\n  - target: {kind: Deployment}\n    patch: '[{"op": "add", "path": "/spec/template/spec/hostPID", "value": true}]'\n` };
    expect(where(reviewRepo(plain, hostPid), "k8s/host-namespaces")).toEqual(["k8s/host-namespaces apps/api/kustomization.yaml:8:76 new", "k8s/host-namespaces apps/api/deployment.yaml:12:20 existing"]);
  });

  it("an overlay that sets part of what the base leaves out keeps the finding for the rest existing, at its new line", () => {
    const before: Files = {
      "apps/api/base/deployment.yaml": BARE_API.replace("ghcr.io/acme/api", "ghcr.io/acme/api:1.0.0"),
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
    };
    const limit = lines(
      "apiVersion: apps/v1", // 1
      "kind: Deployment", // 2
      "metadata: {name: api}", // 3
      "spec:", // 4
      "  template:", // 5
      "    spec:", // 6
      "      containers:", // 7
      "        - name: api", // 8
      "          resources: {limits: {memory: 256Mi}}", // 9
    );
    const after: Files = {
      ...before,
      "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "patches:", "  - path: limit.yaml"),
      "apps/api/overlays/prod/limit.yaml": limit,
    };
    const r = reviewRepo(before, after);
    // Before: no memory limit, CPU request or memory request (at the container); after: no CPU request (at resources).
    expect(where(r, "k8s/missing-resources")).toEqual(["k8s/missing-resources apps/api/overlays/prod/limit.yaml:9:11 existing"]);
    expect(only(r, "k8s/missing-resources")[0]!.message).toMatch(/has no CPU request\./);
    expect(r.summary).toMatchObject({ new: 0, fixed: 0 });
    // The same in a file judged on its own, and for capabilities: an `add` list without `drop` is the same finding.
    const plain = before["apps/api/base/deployment.yaml"]!.replace("            capabilities: {drop: [ALL]}\n", "");
    const edited = plain.replace("            readOnlyRootFilesystem: true\n", "            readOnlyRootFilesystem: true\n            capabilities: {add: [CHOWN]}\n").replace("          securityContext:", "          resources: {limits: {memory: 1Gi}}\n          securityContext:");
    const alone = reviewRepo({ "api.yaml": plain }, { "api.yaml": edited });
    expect(where(alone, "k8s/missing-resources", "k8s/capabilities-not-dropped")).toEqual([
      "k8s/missing-resources api.yaml:19:11 existing",
      "k8s/capabilities-not-dropped api.yaml:23:13 existing",
    ]);
  });

  it("a finding an overlay causes by removing a value is new at the removal (the `op: remove`, the `$patch: delete`), not at the base line", () => {
    const before: Files = {
      "apps/api/base/deployment.yaml": API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
    };
    const after: Files = {
      ...before,
      "apps/api/overlays/prod/kustomization.yaml": lines(
        "resources:", // 1
        "  - ../../base", // 2
        "patches:", // 3
        "  - target: {kind: Deployment, name: api}", // 4
        "    patch: |-", // 5
        "      - op: remove", // 6
        "        path: /spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation", // 7
        "  - patch: |-", // 8
        "      apiVersion: apps/v1", // 9
        "      kind: Deployment", // 10
        "      metadata: {name: api}", // 11
        "      spec:", // 12
        "        template:", // 13
        "          spec:", // 14
        "            securityContext:", // 15
        "              $patch: delete", // 16
      ),
    };
    const r = reviewRepo(before, after);
    expect(where(r, "k8s/privilege-escalation", "k8s/run-as-root", "k8s/seccomp-unconfined")).toEqual([
      "k8s/privilege-escalation apps/api/overlays/prod/kustomization.yaml:6:9 new",
      "k8s/run-as-root apps/api/overlays/prod/kustomization.yaml:16:15 new",
      "k8s/seccomp-unconfined apps/api/overlays/prod/kustomization.yaml:16:15 new",
    ]);
    // Findings the removals did not cause stay where they were, and the fingerprint is the one the same finding has
    // when the base itself leaves the value out (rendered identity and path, never the line).
    expect(r.summary).toMatchObject({ new: 3, fixed: 0 });
    const inBase = reviewRepo(before, { ...before, "apps/api/base/deployment.yaml": API.replace("            allowPrivilegeEscalation: false\n", "") });
    expect(where(inBase, "k8s/privilege-escalation")).toEqual(["k8s/privilege-escalation apps/api/base/deployment.yaml:17:11 new"]);
    expect(only(r, "k8s/privilege-escalation")[0]!.fingerprint).toBe(only(inBase, "k8s/privilege-escalation")[0]!.fingerprint);
  });

  it("moving a value from the base to an overlay does not make its finding new", () => {
    const inBase = { ...base, "apps/web/base/deployment.yaml": base["apps/web/base/deployment.yaml"]!.replace("ghcr.io/acme/api:1.0.0", "ghcr.io/acme/api:latest") };
    const inOverlays = {
      ...base,
      "apps/web/overlays/staging/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: staging", "images:", "  - name: ghcr.io/acme/api", "    newTag: latest"),
      "apps/web/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: prod", "images:", "  - name: ghcr.io/acme/api", "    newTag: latest"),
    };
    const r = reviewRepo(inBase, inOverlays);
    expect(where(r, "image/mutable-tag")).toEqual([
      "image/mutable-tag apps/web/overlays/prod/kustomization.yaml:6:13 existing",
      "image/mutable-tag apps/web/overlays/staging/kustomization.yaml:6:13 existing",
    ]);
    expect(r.summary.new).toBe(0);
  });

  it("fingerprints leave out a generator's content hash: editing another key of a generated Secret keeps its findings", () => {
    const gen = (mode: string): Files => ({
      "app/kustomization.yaml": lines("secretGenerator:", "  - name: db", "    literals:", "      - password=hunter2-correct-horse", `      - mode=${mode}`),
    });
    const r = reviewRepo(gen("a"), gen("b"));
    const secrets = only(r, "secrets/plaintext-secret");
    expect(secrets.map((f) => `${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["app/kustomization.yaml:4:9 existing"]);
    expect(secrets[0]!.resource.name).toMatch(/^db-[a-z0-9]{10}$/);
  });
});

/** An Argo CD Application deploying `path` of this repository to a preview cluster. */
const previewApp = (path: string): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata: {name: api-preview, namespace: argocd}",
    "spec:",
    "  project: apps",
    `  source: {repoURL: https://github.com/acme/apps, targetRevision: v1.2.0, path: ${path}}`,
    "  destination: {server: https://preview.example.com, namespace: preview}",
  );

describe("what is judged on its own, and what falls back", () => {
  it("a root that cannot be rendered is a note, and its changed files are reviewed one by one", () => {
    const base: Files = {
      "apps/api/base/deployment.yaml": BARE_API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", ...HELM_CHART, "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.1.0"),
    };
    const head = { ...base, "apps/api/base/deployment.yaml": BARE_API.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false") };
    const r = reviewRepo(base, head);
    expect(r.notes.some((n) => n.startsWith("Kustomize: apps/api/overlays/prod was not rendered (") && n.includes("helmCharts") && n.endsWith("its changed files were reviewed one by one"))).toBe(true);
    // Today's file-by-file review of the base file: its untagged image is reported there, without overlays.
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/deployment.yaml:18:18 existing"]);
    expect(where(r, "k8s/writable-root-filesystem")).toEqual(["k8s/writable-root-filesystem apps/api/base/deployment.yaml:21:37 new"]);
    expect(r.findings.every((f) => f.renderedFrom === undefined)).toBe(true);
  });

  it("a directory an Argo CD Application points at is judged too, even when an overlay uses it", () => {
    const files: Files = {
      "apps/api/base/deployment.yaml": BARE_API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.1.0"),
      "argocd/apps/api-preview.yaml": previewApp("apps/api/base"),
    };
    const r = scanRepo(files);
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/deployment.yaml:18:18 new"]);
    expect(only(r, "image/mutable-tag")[0]!.renderedFrom).toEqual(["apps/api/base"]);
  });

  it("a PR that points an Application at a base renders the base on the head side: what it applies there is new", () => {
    const base: Files = {
      "apps/api/base/deployment.yaml": BARE_API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.1.0"),
      "argocd/apps/api-preview.yaml": previewApp("apps/api/overlays/prod"),
    };
    const head = { ...base, "argocd/apps/api-preview.yaml": previewApp("apps/api/base") };
    const r = reviewRepo(base, head);
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/deployment.yaml:18:18 new"]);
    expect(only(r, "image/mutable-tag")[0]!.renderedFrom).toEqual(["apps/api/base"]);
    // Pointed away from the base again: the base's own findings are fixed.
    const back = reviewRepo(head, base);
    expect(where(back, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/deployment.yaml:18:18 fixed"]);
  });

  it("an Application that a render produces (its path patched in) adds the directory it points at as a root", () => {
    const files: Files = {
      "apps/api/base/deployment.yaml": BARE_API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.1.0"),
      "argocd/apps/kustomization.yaml": lines(
        "resources:",
        "  - preview.yaml",
        "patches:",
        "  - target: {kind: Application, name: api-preview}",
        "    patch: |-",
        "      - op: replace",
        "        path: /spec/source/path",
        "        value: apps/api/base",
      ),
      "argocd/apps/preview.yaml": previewApp("REPLACED"),
    };
    const r = scanRepo(files);
    expect(only(r, "image/mutable-tag").map((f) => [f.file, f.line, f.renderedFrom])).toEqual([["apps/api/base/deployment.yaml", 18, ["apps/api/base"]]]);
  });

  it("says when a root did not render on the base side only (a PR that repairs a kustomization)", () => {
    const head: Files = {
      "apps/api/base/deployment.yaml": BARE_API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml", "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.1.0"),
    };
    // A missing directory (a missing YAML file would be left out: see kustomize-lenient-builds.test.ts).
    const base = { ...head, "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml", "  - ../missing") };
    const r = reviewRepo(base, head);
    expect(r.notes.filter((n) => n.includes("was not rendered"))).toEqual([
      expect.stringMatching(/^Kustomize: apps\/api\/base was not rendered on the base side \(.*apps\/api\/missing.*\); its changed files were reviewed one by one$/),
    ]);
    expect(where(r, "image/mutable-tag")).toEqual([]);
  });

  it("a changed YAML file outside every kustomization is judged alone; raw-text rules still read files a render covers", () => {
    const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    const files: Files = {
      "apps/api/base/deployment.yaml": `# deploy token: ${token}\n${BARE_API}`,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml", "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.1.0"),
      "loose/pod.yaml": lines("apiVersion: v1", "kind: Pod", "metadata: {name: loose}", "spec:", "  containers:", "    - name: c", "      image: nginx:latest"),
    };
    const r = scanRepo(files);
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag loose/pod.yaml:7:14 new"]);
    expect(only(r, "image/mutable-tag")[0]!.renderedFrom).toBeUndefined();
    expect(where(r, "secrets/known-credential")).toEqual(["secrets/known-credential apps/api/base/deployment.yaml:1:17 new"]);
  });

  it("a manifest beside a kustomization that does not read it is not what Argo CD applies: no findings on its documents, a note, raw-text rules still run", () => {
    const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    const debugPod = lines(`# token: ${token}`, "apiVersion: v1", "kind: Pod", "metadata: {name: debug}", "spec:", "  hostPID: true", "  containers:", "    - name: c", "      image: busybox");
    const base: Files = {
      "apps/api/base/deployment.yaml": API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml", "  - debug-pod.yaml"),
      "apps/api/base/debug-pod.yaml": debugPod.replace(`# token: ${token}\n`, ""),
      "apps/api/base/values.yaml": lines("replicaCount: 2"),
      "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
    };
    // The PR takes the debug pod out of the kustomization and edits the file; Helm-style values beside it change too.
    const head: Files = {
      ...base,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "apps/api/base/debug-pod.yaml": debugPod,
      "apps/api/base/values.yaml": lines("replicaCount: 3"),
    };
    const r = reviewRepo(base, head);
    expect(where(r, "k8s/host-namespaces")).toEqual(["k8s/host-namespaces apps/api/base/debug-pod.yaml:5:12 fixed"]);
    expect(r.findings.filter((f) => f.status === "new").map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(["secrets/known-credential apps/api/base/debug-pod.yaml:1"]);
    expect(r.notes).toContain("apps/api/base/debug-pod.yaml: not judged as a manifest — apps/api/base/kustomization.yaml does not read it, so Argo CD does not apply it (checks for committed credentials still ran)");
    expect(r.notes.some((n) => n.startsWith("apps/api/base/values.yaml"))).toBe(false);
    // A PR that changes only a left-out manifest renders the roots above its kustomization, to know it is left out.
    const alone = reviewRepo(head, { ...head, "apps/api/base/debug-pod.yaml": debugPod.replace("busybox", "busybox:latest") });
    expect(alone.findings.filter((f) => f.status === "new").map((f) => f.ruleId)).toEqual([]);
    expect(alone.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: apps/api/overlays/prod");
    // A kustomization that does not render here (a remote resource) has its own files reviewed one by one; a file it
    // does not name is still not one of them: Argo CD builds the kustomization, whatever the engine can render.
    const broken = { ...head, "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml", ...HELM_CHART) };
    const unrendered = reviewRepo(base, broken);
    expect(where(unrendered, "k8s/host-namespaces")).toEqual(["k8s/host-namespaces apps/api/base/debug-pod.yaml:5:12 fixed"]);
    expect(unrendered.notes).toContain("apps/api/base/debug-pod.yaml: not judged as a manifest — apps/api/base/kustomization.yaml does not read it, so Argo CD does not apply it (checks for committed credentials still ran)");
  });

  it("a pull request that changes what a root that does not render reads reviews the root's unchanged files too: a file it starts reading is new", () => {
    const base: Files = {
      "app/kustomization.yaml": lines("resources:", "  - a.yaml", "  - c.yaml"),
      "app/a.yaml": privilegedPod("a"),
      "app/b.yaml": privilegedPod("b"),
      "app/c.yaml": privilegedPod("c"),
      // The only root above app does not render (a resource directory it names is missing), so app's files fall back.
      "overlay/kustomization.yaml": lines("resources:", "  - ../app", "  - ../extra"),
    };
    // The PR only edits the kustomization: b.yaml (unchanged) is now read, c.yaml (unchanged) no longer is.
    const head: Files = { ...base, "app/kustomization.yaml": lines("resources:", "  - a.yaml", "  - b.yaml") };
    const r = reviewRepo(base, head);
    // c.yaml, which it stops reading, is not judged one by one: other roots may still apply it (an overlay that swaps
    // its local base for a remote one leaves the base to the other overlays), so it is neither fixed nor existing.
    expect(where(r, "k8s/privileged-container")).toEqual([
      "k8s/privileged-container app/b.yaml:8:37 new",
      "k8s/privileged-container app/a.yaml:8:37 existing",
    ]);
    expect(r.filesReviewed).toBe(1);
    // A change to a file of the root alone reviews that file only.
    const edit = reviewRepo(base, { ...base, "app/a.yaml": privilegedPod("a").replace("1.0.0", "1.0.1") });
    expect(where(edit, "k8s/privileged-container")).toEqual(["k8s/privileged-container app/a.yaml:8:37 existing"]);
  });

  it("one patch line that reaches several objects of a root is one finding that says how many", () => {
    const deploy = (name: string) =>
      lines("apiVersion: apps/v1", "kind: Deployment", `metadata: {name: ${name}}`, "spec:", `  selector: {matchLabels: {app: ${name}}}`, "  template:", `    metadata: {labels: {app: ${name}}}`, "    spec:", "      containers:", "        - name: app", "          image: registry.example.com/app:1.0.0");
    const files: Files = {
      "apps/a.yaml": deploy("a"),
      "apps/b.yaml": deploy("b"),
      "apps/c.yaml": deploy("c"),
      "apps/kustomization.yaml": lines(
        "resources: [a.yaml, b.yaml, c.yaml]",
        "patches:",
        "  - target: {kind: Deployment}",
        "    patch: |",
        "      - op: add",
        "        path: /spec/template/spec/hostNetwork",
        "        value: true",
      ),
    };
    const found = only(scanRepo(files), "k8s/host-namespaces");
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(["apps/kustomization.yaml:7"]);
    // The message names one of them; the suffix counts and lists them all.
    const suffix = /\[Kustomize: rendered from apps; 3 objects: (.*)\]$/.exec(found[0]!.message);
    expect(suffix?.[1]?.split(", ").sort()).toEqual(["Deployment/a", "Deployment/b", "Deployment/c"]);
  });

  it("a manifest beside a kustomization that does not read it is applied all the same when an Application reads a directory above it recursively", () => {
    const pod = privilegedPod("stray");
    const app = (directory: string) =>
      lines(
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata: {name: infra, namespace: argocd}",
        "spec:",
        "  project: infra",
        "  source:",
        "    repoURL: https://example.com/org/infra.git",
        "    targetRevision: v1.0.0",
        "    path: infra",
        directory,
        "  destination: {name: workload, namespace: infra}",
      );
    const files: Files = {
      "infra/monitoring/base/kustomization.yaml": lines("resources:", "  - namespace.yaml"),
      "infra/monitoring/base/namespace.yaml": lines("apiVersion: v1", "kind: Namespace", "metadata: {name: monitoring}"),
      "infra/monitoring/base/stray.yaml": pod,
    };
    const recursive = scanRepo({ ...files, "argocd/infra.yaml": app("    directory: {recurse: true}") });
    expect(where(recursive, "k8s/privileged-container")).toEqual(["k8s/privileged-container infra/monitoring/base/stray.yaml:8:37 new"]);
    expect(recursive.notes.some((n) => n.startsWith("infra/monitoring/base/stray.yaml: not judged"))).toBe(false);
    // Without recurse Argo CD reads only the files directly in infra/: the kustomization's listing decides.
    const flat = scanRepo({ ...files, "argocd/infra.yaml": app("    directory: {recurse: false}") });
    expect(where(flat, "k8s/privileged-container")).toEqual([]);
    expect(flat.notes.some((n) => n.startsWith("infra/monitoring/base/stray.yaml: not judged"))).toBe(true);
  });

  it("an overlay that swaps its local base for a remote one does not make the local base's findings fixed; a new overlay that does not render, beside one that does not either, leaves them existing", () => {
    const pod = privilegedPod("web");
    const base: Files = {
      "base/kustomization.yaml": lines("resources:", "  - pod.yaml"),
      "base/pod.yaml": pod,
      "overlays/dev/kustomization.yaml": lines("resources:", "  - ../../base", "namePrefix: dev-"),
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namePrefix: prod-"),
    };
    const remote = reviewRepo(base, { ...base, "overlays/prod/kustomization.yaml": lines("resources:", "  - https://example.com/org/app//base?ref=v1", "namePrefix: prod-") });
    expect(remote.findings.filter((f) => f.status !== "existing").map((f) => `${f.status} ${f.ruleId} ${f.file}`)).toEqual([]);
    // The only overlay swaps: nothing here says the local base stopped being applied somewhere (another repository,
    // an Application), so nothing is fixed either.
    const alone: Files = { "base/kustomization.yaml": base["base/kustomization.yaml"]!, "base/pod.yaml": pod, "overlays/prod/kustomization.yaml": base["overlays/prod/kustomization.yaml"]! };
    const swappedHead = { ...alone, "overlays/prod/kustomization.yaml": lines("resources:", "  - https://example.com/org/app//base?ref=v1", "namePrefix: prod-") };
    const swapped = reviewRepo(alone, swappedHead);
    expect(swapped.findings.filter((f) => f.status === "fixed").map((f) => `${f.ruleId} ${f.file}`)).toEqual([]);
    // As the CLI's and the App's views give it: a file is read on a side only where a render plan needs it.
    const { changes, changed } = changesBetween(alone, swappedHead);
    const sideOf = (files: Files, unread: string[]) => {
      const all = mapSide(new Map(Object.entries(files)));
      return { paths: all.paths, read: (p: string) => (unread.includes(p) ? null : all.read(p)) };
    };
    const planned = review({
      changes,
      config: parseConfig({}, RULE_IDS),
      rules: ALL_RULES,
      now: NOW,
      repository: { base: sideOf(alone, []), head: sideOf(swappedHead, ["base/pod.yaml", "base/kustomization.yaml"]), changed },
    });
    expect(planned.findings.filter((f) => f.status === "fixed").map((f) => `${f.ruleId} ${f.file}`)).toEqual([]);

    // On main the only overlay does not render (its base's files are judged one by one); the PR adds another like it.
    const broken = lines("resources:", "  - ../../base", "replicas:", "  - name: nothing-like-this", "    count: 1");
    const main: Files = { "base/kustomization.yaml": base["base/kustomization.yaml"]!, "base/pod.yaml": pod, "overlays/dev/kustomization.yaml": broken };
    const added = reviewRepo(main, { ...main, "overlays/staging/kustomization.yaml": broken });
    expect(where(added, "k8s/privileged-container")).toEqual(["k8s/privileged-container base/pod.yaml:8:37 existing"]);
  });

  it("a root that does not render still has what its generators make judged, at the .env line and the literal's line", () => {
    const files: Files = {
      "apps/web/kustomization.yaml": lines(
        "resources:",
        "  - deployment.yaml",
        ...HELM_CHART,
        "configMapGenerator:",
        "  - name: web",
        "    envs: [web.env]",
        "secretGenerator:",
        "  - name: api",
        "    literals:",
        "      - API_PASSWORD=Qx7rTz19LpWm",
      ),
      "apps/web/deployment.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: plain}", "data: {a: b}"),
      "apps/web/web.env": lines("DB_HOST=db.internal", "DB_PASSWORD=Zk4vN8qLw2Rt"),
    };
    const r = scanRepo(files);
    expect(r.notes.some((n) => n.startsWith("Kustomize: apps/web was not rendered"))).toBe(true);
    expect(where(r, "secrets/sensitive-config-value", "secrets/plaintext-secret")).toEqual([
      "secrets/plaintext-secret apps/web/kustomization.yaml:13:9 new",
      "secrets/sensitive-config-value apps/web/web.env:2:13 new",
    ]);
    expect(r.notes.some((n) => n.includes("rendered in process") && n.includes("generators only"))).toBe(false);
    // A configMapGenerator that cannot build on its own (it merges into a base's) does not hide the Secret's .env.
    const merging = {
      ...files,
      "apps/web/kustomization.yaml": lines(
        "resources:",
        "  - deployment.yaml",
        "  - https://example.com/org/remote.yaml",
        "configMapGenerator:",
        "  - name: web",
        "    behavior: merge",
        "    literals: [MODE=prod]",
        "secretGenerator:",
        "  - name: api",
        "    envs: [web.env]",
      ),
    };
    expect(where(scanRepo(merging), "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret apps/web/web.env:2:13 new"]);
    // A pull request that changes the .env file: the password it adds is new, the one already committed existing.
    const head = { ...files, "apps/web/web.env": lines("DB_HOST=db.internal", "DB_PASSWORD=Zk4vN8qLw2Rt", "SMTP_PASSWORD=Hq2mX9vTe4Ls") };
    expect(where(reviewRepo(files, head), "secrets/sensitive-config-value")).toEqual([
      "secrets/sensitive-config-value apps/web/web.env:3:15 new",
      "secrets/sensitive-config-value apps/web/web.env:2:13 existing",
    ]);
  });

  it("an overlay another overlay builds on, applied by an unchanged Application, is judged as that Application applies it", () => {
    const app = (name: string, path: string): string =>
      lines("apiVersion: argoproj.io/v1alpha1", "kind: Application", `metadata: {name: ${name}, namespace: argocd}`, "spec:", "  project: web", `  source: {repoURL: https://github.com/acme/gitops, path: ${path}, targetRevision: v1.0.0}`, "  destination: {name: prod, namespace: web}");
    const patch = (privileged: boolean): string => lines("apiVersion: v1", "kind: Pod", "metadata: {name: web}", "spec:", "  containers:", "    - name: c", `      securityContext: {privileged: ${privileged}}`);
    const base: Files = {
      "base/kustomization.yaml": lines("resources: [pod.yaml]"),
      "base/pod.yaml": privilegedPod("web").replace("privileged: true", "privileged: false"),
      "overlays/prod/kustomization.yaml": lines("resources: [../../base]"),
      "overlays/prod-eu/kustomization.yaml": lines("resources: [../prod]", "patches:", "  - path: calm.yaml"),
      "overlays/prod-eu/calm.yaml": patch(false),
      "argocd/prod.yaml": app("web-prod", "overlays/prod"),
      "argocd/prod-eu.yaml": app("web-prod-eu", "overlays/prod-eu"),
    };
    const head: Files = { ...base, "overlays/prod/kustomization.yaml": lines("resources: [../../base]", "patches:", "  - path: debug.yaml"), "overlays/prod/debug.yaml": patch(true) };
    const r = reviewRepo(base, head);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container overlays/prod/debug.yaml:7:37 new"]);
    expect(r.conclusion).toBe("failure");
    // The Application in a file named for Applications, not for the overlay (`deploy/argocd/project-and-apps.yaml`).
    const inAppsFile = (tree: Files): Files => {
      const { "argocd/prod.yaml": prodApp, "argocd/prod-eu.yaml": euApp, ...rest } = tree;
      return { ...rest, "argocd/project-and-apps.yaml": `${prodApp}---\n${euApp}` };
    };
    expect(where(reviewRepo(inAppsFile(base), inAppsFile(head)), "k8s/privileged-container")).toEqual(["k8s/privileged-container overlays/prod/debug.yaml:7:37 new"]);
    // Without an Application applying prod, only prod-eu is applied, and it patches the privilege away.
    const { "argocd/prod.yaml": _prod, ...withoutApp } = base;
    const { "argocd/prod.yaml": _prodHead, ...headWithoutApp } = head;
    expect(where(reviewRepo(withoutApp, headWithoutApp), "k8s/privileged-container")).toEqual([]);
  });

  it("an Argo CD Application beside a kustomization that does not list it is still judged (an app of apps applies it)", () => {
    const app = (ns: string): string =>
      lines("apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata: {name: web, namespace: argocd}", "spec:", "  project: web", "  source: {repoURL: https://github.com/acme/gitops, path: web, targetRevision: v1.0.0}", `  destination: {server: https://kubernetes.default.svc, namespace: ${ns}}`);
    const base: Files = {
      "web/kustomization.yaml": lines("resources: [configmap.yaml]"),
      "web/configmap.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}"),
      "web/application.yaml": app("web"),
    };
    const r = reviewRepo(base, { ...base, "web/application.yaml": app("argocd") });
    expect(where(r, "argocd/app-in-cluster-destination")).toEqual(["argocd/app-in-cluster-destination web/application.yaml:7:25 new"]);
    expect(r.notes.some((n) => n.includes("web/application.yaml: not judged"))).toBe(false);
  });

  it("a generator literal holding an embedded config is one finding, the rendered Secret's at the credential inside it", () => {
    const base: Files = {
      "base/kustomization.yaml": lines(
        "secretGenerator:",
        "  - name: regcred",
        "    type: kubernetes.io/dockerconfigjson",
        "    literals:",
        `      - '.dockerconfigjson={"auths":{"r.example.com":{"auth":"${Buffer.from("deploy:Zt8qpLm2wXv9rKsQ").toString("base64")}"}}}'`,
      ),
      "prod/kustomization.yaml": lines("resources: [../base]", "namespace: prod"),
    };
    expect(where(scanRepo(base), "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret base/kustomization.yaml:5:28 new"]);
    // The literal unchanged in a pull request that adds another overlay: still one finding, existing.
    const head = { ...base, "dev/kustomization.yaml": lines("resources: [../base]", "namespace: dev") };
    expect(where(reviewRepo(base, head), "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret base/kustomization.yaml:5:28 existing"]);
  });

  it("a kustomization that fails to build (a listed file is missing) leaves out the files it does not name, and judges the ones it names", () => {
    const files: Files = {
      "apps/web/kustomization.yaml": lines("resources:", "  - listed.yaml", "  - missing.yaml"),
      "apps/web/listed.yaml": privilegedPod("listed"),
      "apps/web/stale.yaml": privilegedPod("stale"),
    };
    const r = scanRepo(files);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/web/listed.yaml:8:37 new"]);
    // Built without the missing file (kustomize-lenient-builds.test.ts), with a note that Argo CD cannot build it.
    expect(r.notes.some((n) => n.startsWith('Kustomize: apps/web/kustomization.yaml: resource "missing.yaml" is not in the repository'))).toBe(true);
    expect(r.notes).toContain("apps/web/stale.yaml: not judged as a manifest — apps/web/kustomization.yaml does not read it, so Argo CD does not apply it (checks for committed credentials still ran)");
  });

  it("a credential in a base every overlay deletes is still found once, at its line; one the render keeps is reported once, by the render", () => {
    const secret = lines("apiVersion: v1", "kind: Secret", "metadata: {name: db}", "stringData:", '  DB_PASSWORD: "Xk9#mQ2vLp7zRt4w"');
    const deleteIt = lines("resources:", "  - ../../base", "patches:", "  - patch: |", "      $patch: delete", "      apiVersion: v1", "      kind: Secret", "      metadata: {name: db}");
    const files: Files = {
      "apps/db/base/secret.yaml": secret,
      "apps/db/base/kustomization.yaml": lines("resources:", "  - secret.yaml"),
      "apps/db/overlays/prod/kustomization.yaml": deleteIt,
    };
    const deleted = scanRepo(files);
    expect(where(deleted, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret apps/db/base/secret.yaml:5:16 new"]);
    expect(only(deleted, "secrets/plaintext-secret")[0]!.renderedFrom).toBeUndefined();

    const kept = scanRepo({ ...files, "apps/db/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namePrefix: prod-") });
    expect(where(kept, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret apps/db/base/secret.yaml:5:16 new"]);
    expect(only(kept, "secrets/plaintext-secret")[0]!.renderedFrom).toEqual(["apps/db/overlays/prod"]);
  });

  it("a credential in a manifest no kustomization reads is still found: it leaks by being committed", () => {
    const base: Files = {
      "apps/api/base/deployment.yaml": API,
      "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
    };
    const secret = lines(
      "apiVersion: v1", // 1
      "kind: Secret", // 2
      "metadata: {name: db, namespace: api}", // 3
      "stringData:", // 4
      '  DB_PASSWORD: "Xk9#mQ2vLp7zRt4w"', // 5
      "---",
      "apiVersion: apps/v1", // 7
      "kind: Deployment", // 8
      "metadata: {name: tool}", // 9
      "spec:", // 10
      "  template:", // 11
      "    spec:", // 12
      "      hostNetwork: true", // 13
      "      containers:", // 14
      "        - name: tool", // 15
      "          image: ghcr.io/acme/tool:1.0.0", // 16
      "          env:", // 17
      "            - {name: API_TOKEN, value: 9f8e7d6c5b4a39281706f5e4d3c2b1a0}", // 18
    );
    const r = reviewRepo(base, { ...base, "apps/api/base/unlisted.yaml": secret });
    const fresh = r.findings.filter((f) => f.status === "new");
    expect(fresh.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort()).toEqual([
      "secrets/literal-env-secret apps/api/base/unlisted.yaml:18",
      "secrets/plaintext-secret apps/api/base/unlisted.yaml:5",
    ]);
    expect(JSON.stringify(r)).not.toContain("Xk9#mQ2vLp7zRt4w");
    expect(r.notes).toContain("apps/api/base/unlisted.yaml: not judged as a manifest — apps/api/base/kustomization.yaml does not read it, so Argo CD does not apply it (checks for committed credentials still ran)");
  });

  it("--no-render (render: false) reviews every file on its own, as before", () => {
    const r = scanRepo(LAYERED, { render: false });
    expect(r.notes.filter((n) => n.startsWith("Kustomize"))).toEqual([]);
    expect(r.findings.every((f) => f.renderedFrom === undefined)).toBe(true);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/api/base/deployment.yaml:32:25 new"]);
  });

  it("honours paths.exclude for the files values come from, and for roots", () => {
    const r = scanRepo(LAYERED, { config: { paths: { exclude: ["apps/api/dev/**"] } } });
    expect(where(r, "image/mutable-tag", "k8s/privileged-container")).toEqual([]);
  });
});

describe("Kustomize vars (an older repository's way to wire names and values into containers)", () => {
  const repo: Files = {
    "apps/db-client/settings.yaml": lines(
      "apiVersion: v1", // 1
      "kind: ConfigMap", // 2
      "metadata:", // 3
      "  name: settings", // 4
      "data:", // 5
      "  db_user: app", // 6
      "  db_pass_word: s3cr3t-Pa55w0rd-x9", // 7
    ),
    "apps/db-client/deployment.yaml": lines(
      "apiVersion: apps/v1", // 1
      "kind: Deployment", // 2
      "metadata:", // 3
      "  name: client", // 4
      "spec:", // 5
      "  template:", // 6
      "    spec:", // 7
      "      containers:", // 8
      "        - name: client", // 9
      "          image: ghcr.io/acme/client:1.0.0", // 10
      "          args:", // 11
      "            - --dsn=postgres://$(DB_USER):$(DB_PASSWORD)@db:5432/app", // 12
      "          env:", // 13
      "            - name: DB_PASSWORD", // 14
      "              value: $(DB_PASSWORD)", // 15
    ),
    "apps/db-client/kustomization.yaml": lines(
      "resources: [settings.yaml, deployment.yaml]",
      "vars:",
      "  - name: DB_PASSWORD",
      "    objref: {kind: ConfigMap, name: settings, apiVersion: v1}",
      "    fieldref: {fieldPath: data.db_pass_word}",
      "  - name: DB_USER",
      "    objref: {kind: ConfigMap, name: settings, apiVersion: v1}",
      "    fieldref: {fieldPath: data.db_user}",
    ),
  };

  it("renders a root with vars instead of falling back to file-by-file review", () => {
    const r = scanRepo(repo);
    expect(r.notes.filter((n) => n.includes("was not rendered"))).toEqual([]);
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: apps/db-client");
  });

  it("reports what a var puts into a container: where the value is written, or the line around a $(VAR) in a longer string", () => {
    const rules = ["secrets/literal-env-secret", "secrets/credential-in-url"];
    // `value: $(DB_PASSWORD)` becomes the ConfigMap's literal: reported at the line that holds the password.
    // The DSN's password comes from the same var, inside a longer string: reported at the DSN line.
    expect(where(scanRepo(repo), ...rules)).toEqual([
      "secrets/credential-in-url apps/db-client/deployment.yaml:12:15 new",
      "secrets/literal-env-secret apps/db-client/settings.yaml:7:17 new",
    ]);
    // File by file, $(DB_PASSWORD) is a reference and nothing is reported.
    expect(where(scanRepo(repo, { render: false }), ...rules)).toEqual([]);
  });
});

describe("staged review: prepare, read the documents, evaluate", () => {
  it("exposes the rendered objects and the documents judged on their own, then evaluates to what review() gives", () => {
    const { changes, changed } = changesBetween({}, { ...LAYERED, "loose/pod.yaml": lines("apiVersion: v1", "kind: Pod", "metadata: {name: loose}", "spec: {containers: [{name: c, image: 'nginx:1.27.3'}]}") });
    const head = mapSide(new Map(Object.entries({ ...LAYERED })));
    const input = { changes, config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: NOW, repository: { head, changed } };
    const prepared = prepareReview(input);
    const docs = [...prepared.documents("head")];
    const images = docs.flatMap((d) => {
      const spec = (d.value as { spec?: { template?: { spec?: { containers?: Array<{ image: string }> } }; containers?: Array<{ image: string }> } }).spec;
      return (spec?.template?.spec?.containers ?? spec?.containers ?? []).map((c) => `${d.resource.namespace ?? "-"}/${d.resource.name}: ${c.image}`);
    });
    expect(images.sort()).toEqual(["-/loose: nginx:1.27.3", "dev/api: busybox:1.36.1", "dev/api: ghcr.io/acme/api:latest", "prod/mid-api: ghcr.io/acme/api:1.0.0"]);
    expect([...prepared.documents("base")]).toEqual([]);
    const staged = prepared.evaluate({ waivers: [] });
    expect(staged.findings.map((f) => f.fingerprint).sort()).toEqual(reviewRepo({}, { ...LAYERED, "loose/pod.yaml": lines("apiVersion: v1", "kind: Pod", "metadata: {name: loose}", "spec: {containers: [{name: c, image: 'nginx:1.27.3'}]}") }).findings.map((f) => f.fingerprint).sort());
    expect(() => prepared.evaluate()).toThrow(/once/);
  });
});

describe("an images: override is reported where the part a finding is about was written (issue 1532)", () => {
  const DIGEST = `sha256:${"0f1e2d3c".repeat(8)}`;
  const config = { images: { allowedRegistries: ["ghcr.io/acme"] }, rules: { "image/not-pinned-by-digest": "low" } };
  /** The base Deployment with `image` (line 18, column 18) and an overlay writing `entry` under `images:` from line 5. */
  const repo = (image: string, ...entry: string[]): Files => ({
    "apps/api/base/deployment.yaml": API.replace("image: ghcr.io/acme/api:1.0.0", `image: ${image}`),
    "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
    "apps/api/prod/kustomization.yaml": lines(
      "resources:", // 1
      "  - ../base", // 2
      "images:", // 3
      `  - name: ${image.replace(/[:@].*$/, "")}`, // 4
      ...entry, // 5…
    ),
  });
  const rules = ["image/untrusted-registry", "image/mutable-tag", "image/not-pinned-by-digest"];
  const sorted = (r: Parameters<typeof where>[0], ...ids: string[]): string[] => where(r, ...ids).sort();

  it("newName and newTag: the registry at the newName line, the tag at the newTag line", () => {
    const r = scanRepo(repo("ghcr.io/acme/api:1.0.0", "    newName: quay.io/random/api", "    newTag: latest"), { config });
    expect(sorted(r, ...rules)).toEqual([
      "image/mutable-tag apps/api/prod/kustomization.yaml:6:13 new",
      "image/not-pinned-by-digest apps/api/prod/kustomization.yaml:6:13 new",
      "image/untrusted-registry apps/api/prod/kustomization.yaml:5:14 new",
    ]);
    expect(only(r, "image/untrusted-registry")[0]!.message).toContain('"quay.io/random/api:latest"');
  });

  it("newTag only: a registry written in the base is found at the base's image line", () => {
    const r = scanRepo(repo("quay.io/random/api:1.0.0", "    newTag: 1.1.0"), { config });
    expect(sorted(r, ...rules)).toEqual([
      // The newTag entry removes any digest the base had: adding one goes there.
      "image/not-pinned-by-digest apps/api/prod/kustomization.yaml:5:13 new",
      "image/untrusted-registry apps/api/base/deployment.yaml:18:18 new",
    ]);
  });

  it("newName only: the base's mutable tag and missing digest are found at the base's image line", () => {
    const r = scanRepo(repo("ghcr.io/acme/api:latest", "    newName: ghcr.io/acme/api-mirror"), { config });
    expect(sorted(r, ...rules)).toEqual([
      "image/mutable-tag apps/api/base/deployment.yaml:18:18 new",
      "image/not-pinned-by-digest apps/api/base/deployment.yaml:18:18 new",
    ]);
    expect(only(r, "image/mutable-tag")[0]!.message).toContain('"ghcr.io/acme/api-mirror:latest"');
    // Untagged in the base: the missing tag is the base's too.
    const untagged = scanRepo(repo("ghcr.io/acme/api", "    newName: ghcr.io/acme/api-mirror"), { config });
    expect(sorted(untagged, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/deployment.yaml:18:18 new"]);
  });

  it("digest: the pin passes, a registry written in the base stays at the base line, one in newName at its line", () => {
    const pinned = scanRepo(repo("quay.io/random/api:latest", `    digest: ${DIGEST}`), { config });
    expect(sorted(pinned, ...rules)).toEqual(["image/untrusted-registry apps/api/base/deployment.yaml:18:18 new"]);
    expect(only(pinned, "image/untrusted-registry")[0]!.message).toContain(`"quay.io/random/api@${DIGEST}"`);
    const renamed = scanRepo(repo("ghcr.io/acme/api:1.0.0", "    newName: quay.io/random/api", `    digest: ${DIGEST}`), { config });
    expect(sorted(renamed, ...rules)).toEqual(["image/untrusted-registry apps/api/prod/kustomization.yaml:5:14 new"]);
    // A malformed digest is about the digest: at its line.
    const malformed = scanRepo(repo("ghcr.io/acme/api:1.0.0", "    newName: ghcr.io/acme/api-mirror", "    digest: sha256:0f1e"), { config });
    expect(sorted(malformed, ...rules)).toEqual(["image/not-pinned-by-digest apps/api/prod/kustomization.yaml:6:13 new"]);
  });

  it("tagSuffix: a tag the suffix completes is found at the tagSuffix line, the registry at the base line", () => {
    // Kustomize appends the suffix twice to a container's image (its legacy filter and its field specs both run:
    // kubernetes-sigs/kustomize#4814), and so does the render.
    const mutable = { ...config, rules: { ...config.rules, "image/mutable-tag": { options: { tags: ["1.0.0-debug-debug"] } } } };
    const r = scanRepo(repo("quay.io/random/api:1.0.0", "    tagSuffix: -debug"), { config: mutable });
    expect(sorted(r, "image/mutable-tag", "image/untrusted-registry")).toEqual([
      "image/mutable-tag apps/api/prod/kustomization.yaml:5:16 new",
      "image/untrusted-registry apps/api/base/deployment.yaml:18:18 new",
    ]);
  });

  it("a file judged alone is unaffected: one line holds every part", () => {
    const r = scanRepo(repo("quay.io/random/api:latest", "    newTag: 1.1.0"), { config, render: false });
    expect(sorted(r, "image/mutable-tag", "image/untrusted-registry")).toEqual([
      "image/mutable-tag apps/api/base/deployment.yaml:18:18 new",
      "image/untrusted-registry apps/api/base/deployment.yaml:18:18 new",
    ]);
  });
});

describe("a base ConfigMap an overlay patch turns into a Secret (allowKindChange)", () => {
  const files: Files = {
    "base/kustomization.yaml": lines("resources: [cm.yaml]"),
    "base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: creds}", "data:", "  password: s3cr3tP4ssw0rdXY"),
    "overlay/kustomization.yaml": lines(
      "resources: [../base]",
      "patches:",
      "  - target: {kind: ConfigMap, name: creds}",
      "    options: {allowKindChange: true}",
      "    patch: |-",
      "      apiVersion: v1",
      "      kind: Secret",
      "      metadata: {name: creds}",
    ),
  };

  it("is one finding at the committed line, the rendered Secret's: no ConfigMap is applied", () => {
    const r = scanRepo(files);
    expect(r.findings.filter((f) => f.ruleId.startsWith("secrets/")).map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.resource.kind}`)).toEqual([
      "secrets/plaintext-secret base/cm.yaml:5:13 Secret",
    ]);
  });

  it("is existing when a pull request adds (or removes) that patch: the committed value is the same", () => {
    const plain = { ...files, "overlay/kustomization.yaml": lines("resources: [../base]") };
    expect(where(reviewRepo(plain, files), "secrets/sensitive-config-value", "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret base/cm.yaml:5:13 existing"]);
    expect(where(reviewRepo(files, plain), "secrets/sensitive-config-value", "secrets/plaintext-secret")).toEqual(["secrets/sensitive-config-value base/cm.yaml:5:13 existing"]);
  });

  it("and the base's own ConfigMap finding stays when the overlay keeps it a ConfigMap", () => {
    const r = scanRepo({ ...files, "overlay/kustomization.yaml": lines("resources: [../base]") });
    expect(where(r, "secrets/sensitive-config-value", "secrets/plaintext-secret")).toEqual(["secrets/sensitive-config-value base/cm.yaml:5:13 new"]);
  });
});

describe("a kustomization with a key written twice (held-out round 17: the overlay fell back to one-by-one files)", () => {
  it("is read as Kustomize reads it, the last key winning: a pull request's newTag: latest is reported at its line", () => {
    const deploy = lines(
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: web}",
      "spec:",
      "  selector: {matchLabels: {app: web}}",
      "  template:",
      "    metadata: {labels: {app: web}}",
      "    spec:",
      "      containers:",
      "        - name: web",
      "          image: nginx:1.27",
    );
    const overlay = ["resources:", "  - ../../base", "namespace: prod", "commonLabels:", "  env: prod"];
    const base: Files = { "base/kustomization.yaml": lines("resources: [deploy.yaml]"), "base/deploy.yaml": deploy, "overlays/prod/kustomization.yaml": lines(...overlay) };
    const head: Files = { ...base, "overlays/prod/kustomization.yaml": lines(...overlay, "commonLabels:", "  team: web", "images:", "  - name: nginx", "    newTag: latest") };
    const r = reviewRepo(base, head);
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag overlays/prod/kustomization.yaml:10:13 new"]);
    expect(r.notes.filter((n) => /not rendered/.test(n))).toEqual([]);
  });
});

describe("an overlay's strategic-merge `$patch: replace` of a container's securityContext (held-out round 18)", () => {
  it("reports what it wipes at the overlay's `$patch: replace` line, as for `securityContext: null`, not at the base container", () => {
    const base: Files = {
      "base/kustomization.yaml": lines("resources:", "  - deploy.yaml"),
      "base/deploy.yaml": lines(
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: web}",
        "spec:",
        "  selector: {matchLabels: {app: web}}",
        "  template:",
        "    metadata: {labels: {app: web}}",
        "    spec:",
        "      automountServiceAccountToken: false",
        "      containers:",
        "        - name: web",
        "          image: nginx:1.27.0",
        "          securityContext:",
        "            allowPrivilegeEscalation: false",
        "            runAsNonRoot: true",
        "            runAsUser: 101",
        "            readOnlyRootFilesystem: true",
        "            capabilities: {drop: [ALL]}",
        "            seccompProfile: {type: RuntimeDefault}",
        "          resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}",
        "          readinessProbe: {httpGet: {path: /, port: 80}}",
        "          livenessProbe: {httpGet: {path: /, port: 80}}",
      ),
      "prod/kustomization.yaml": lines("resources:", "  - ../base"),
    };
    const patch = (...securityContext: string[]) =>
      lines(
        "resources:", // 1
        "  - ../base", // 2
        "patches:", // 3
        "  - patch: |-", // 4
        "      apiVersion: apps/v1", // 5
        "      kind: Deployment", // 6
        "      metadata: {name: web}", // 7
        "      spec:", // 8
        "        template:", // 9
        "          spec:", // 10
        "            containers:", // 11
        "              - name: web", // 12
        ...securityContext, // 13…
      );
    const replaced = reviewRepo(base, { ...base, "prod/kustomization.yaml": patch("                securityContext:", "                  $patch: replace", "                  runAsNonRoot: true", "                  runAsUser: 101") });
    const wiped = ["k8s/privilege-escalation", "k8s/capabilities-not-dropped", "k8s/seccomp-unconfined", "k8s/writable-root-filesystem"];
    expect(where(replaced, ...wiped).sort()).toEqual(wiped.map((rule) => `${rule} prod/kustomization.yaml:14:19 new`).sort());
    // `securityContext: null` points at its key line, as before.
    const nulled = reviewRepo(base, { ...base, "prod/kustomization.yaml": patch("                securityContext: null") });
    expect(where(nulled, ...wiped).sort()).toEqual(wiped.map((rule) => `${rule} prod/kustomization.yaml:13:17 new`).sort());
  });
});

describe("a root the base rendered plainly that two Applications start deploying with their own namePrefix (held-out round 25)", () => {
  const app = (name: string, prefix: string): string =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      `metadata: {name: ${name}, namespace: argocd}`,
      "spec:",
      "  project: web",
      "  source:",
      "    repoURL: https://github.com/example/web.git",
      "    targetRevision: main",
      "    path: overlays/prod",
      "    kustomize:",
      `      namePrefix: ${prefix}`,
      `  destination: {name: ${name}, namespace: web}`,
    );
  const base: Files = {
    "base/kustomization.yaml": lines("resources:", "  - deploy.yaml"),
    "base/deploy.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      containers:", "        - {name: web, image: registry.example.com/web:1.2.3, securityContext: {privileged: true}}"),
    "overlays/prod/kustomization.yaml": lines("namePrefix: prod-", "resources:", "  - ../../base"),
  };

  it("shows nothing fixed: the base's lines are still applied, now as two objects (each a new applied copy)", () => {
    const r = reviewRepo(base, { ...base, "argocd/apps.yaml": `${app("web-eu", "eu-")}---\n${app("web-us", "us-")}` });
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container base/deploy.yaml:8:92 new"]);
    expect(r.findings.filter((f) => f.status === "fixed")).toEqual([]);
  });
});
