/**
 * Roots that Kustomize (and `gitops-guard render`) refuses here but Argo CD applies (held-out round 10): plugins
 * (`generators:` such as ksops decrypting SOPS files, `transformers:`) and remote resources mixed with local ones. The
 * review builds them without what it cannot run or fetch, with a note, rather than judging every file of the root on
 * its own (which ignores the overlay's `images:` and patches); and what it could not see never makes a finding `fixed`.
 */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree } from "../../src/kustomize/index.js";
import { hardenedDeployment, lines, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

const deploy = hardenedDeployment;

/** A ksops generator config: what a `generators:` entry names. */
const KSOPS = lines("apiVersion: viaduct.ai/v1", "kind: ksops", "metadata: {name: secrets}", "files: [secret.enc.yaml]");
const pinned = (...more: string[]): string => lines("resources: [../../base]", "images:", "  - name: nginx", '    newTag: "1.27.0"', ...more);

describe("a root with plugins", () => {
  const repo: Files = {
    "base/kustomization.yaml": lines("resources: [deploy.yaml]"),
    "base/deploy.yaml": deploy("nginx:latest"),
    "overlays/a/kustomization.yaml": pinned(),
    "overlays/b/kustomization.yaml": pinned("generators: [ksops.yaml]", "transformers: [storage.yaml]"),
    "overlays/b/ksops.yaml": KSOPS,
    "overlays/b/storage.yaml": lines("apiVersion: example.com/v1", "kind: StorageTransformer", "metadata: {name: s}"),
  };

  it("is rendered without them, so the overlay's own images: pin counts (the base's :latest is no finding), with a note each", () => {
    const r = scanRepo(repo);
    expect(where(r, "image/mutable-tag")).toEqual([]);
    expect(r.notes).toContain("Kustomize: overlays/b/kustomization.yaml: its generators (one plugin, e.g. ksops decrypting SOPS files) were left out: what they generate is not judged");
    expect(r.notes).toContain("Kustomize: overlays/b/kustomization.yaml: its transformers (one plugin) were left out: the objects are judged as built without them");
    expect(r.notes.some((n) => n.includes("was not rendered"))).toBe(false);
    // Their config files are files the build reads, not manifests beside it that Argo CD leaves out.
    expect(r.notes.some((n) => n.startsWith("overlays/b/ksops.yaml") || n.startsWith("overlays/b/storage.yaml"))).toBe(false);
  });

  it("still has what its patches introduce judged at their lines", () => {
    const head = { ...repo, "overlays/b/kustomization.yaml": pinned("generators: [ksops.yaml]", "patches:", "  - target: {kind: Deployment}", "    patch: |-", "      - op: add", "        path: /spec/template/spec/hostNetwork", "        value: true") };
    expect(where(reviewRepo(repo, head), "k8s/host-namespaces")).toEqual(["k8s/host-namespaces overlays/b/kustomization.yaml:11:16 new"]);
  });

  it("is still refused by the render command, as by Kustomize without plugins", () => {
    const r = buildKustomization(memoryTree(repo), "overlays/b");
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.reason).toBe("overlays/b/kustomization.yaml: generators (plugins) is not supported by the in-process render");
  });
});

describe("a map entry (not a path) under generators:, transformers: or validators:", () => {
  const inline = ["  - target: {kind: Deployment}", "    patch: |-", "      - op: add", "        path: /spec/template/spec/hostPID", "        value: true"];
  const files = (key: string): Files => ({
    "base/kustomization.yaml": lines("resources: [deploy.yaml]"),
    "base/deploy.yaml": deploy("nginx:1.27.0"),
    "overlays/b/kustomization.yaml": lines("resources: [../../base]", `${key}:`, ...inline),
  });

  it.each(["generators", "transformers", "validators"])("%s: is an invalid kustomization (kubectl: cannot unmarshal object … of type string), not a plugin left out", (key) => {
    const r = scanRepo(files(key));
    expect(r.notes).toContain(`Kustomize: overlays/b was not rendered (invalid Kustomization overlays/b/kustomization.yaml: ${key}[0]: expected a string); its files were reviewed one by one`);
    expect(r.notes.some((n) => n.includes("were left out"))).toBe(false);
    const built = buildKustomization(memoryTree(files(key)), "overlays/b");
    expect(built.ok ? "rendered" : built.reason).toBe(`invalid Kustomization overlays/b/kustomization.yaml: ${key}[0]: expected a string`);
  });
});

describe("a root with remote resources beside local ones", () => {
  const patch = lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      hostNetwork: true");
  const overlay = (tag: string, ...more: string[]): string =>
    lines("resources:", "  - ../../base", "  - https://github.com/acme/shared//monitoring?ref=v1", "images:", "  - name: nginx", `    newTag: ${tag}`, ...more);
  const main: Files = { "base/kustomization.yaml": lines("resources: [deploy.yaml]"), "base/deploy.yaml": deploy("nginx"), "overlays/a/kustomization.yaml": overlay('"1.27.0"') };

  it("is rendered without them: its images: entry and its patches are judged at their lines, with one note", () => {
    const head = { ...main, "overlays/a/kustomization.yaml": overlay("latest", "patches:", "  - path: patch.yaml"), "overlays/a/patch.yaml": patch };
    const r = reviewRepo(main, head);
    expect(where(r, "image/mutable-tag", "k8s/host-namespaces")).toEqual([
      "k8s/host-namespaces overlays/a/patch.yaml:7:20 new",
      "image/mutable-tag overlays/a/kustomization.yaml:6:13 new",
    ]);
    expect(r.notes).toContain(
      'Kustomize: overlays/a/kustomization.yaml: remote resource "https://github.com/acme/shared//monitoring?ref=v1" was left out (the in-process render reads no network): its objects are not judged',
    );
    expect(r.findings.filter((f) => f.status === "new").every((f) => f.renderedFrom?.includes("overlays/a"))).toBe(true);
  });

  it("falls back to its files one by one when a patch aims at nothing (likely an object of the remote resource)", () => {
    const remotePatch = lines("resources:", "  - https://github.com/acme/shared//monitoring?ref=v1", "patches:", "  - target: {kind: DaemonSet, name: node-exporter}", "    path: exporter.yaml");
    const exporter = lines("apiVersion: apps/v1", "kind: DaemonSet", "metadata: {name: node-exporter}", "spec:", "  template:", "    spec:", "      hostPID: true");
    const base: Files = { "monitoring/kustomization.yaml": remotePatch, "monitoring/exporter.yaml": exporter.replace("hostPID: true", "hostPID: false") };
    const r = reviewRepo(base, { ...base, "monitoring/exporter.yaml": exporter });
    expect(r.notes.some((n) => n.startsWith("Kustomize: monitoring was not rendered (monitoring/kustomization.yaml: remote resource"))).toBe(true);
    expect(where(r, "k8s/host-namespaces")).toEqual(["k8s/host-namespaces monitoring/exporter.yaml:7:16 new"]);
  });

  it("does not call fixed what it no longer sees: the objects may come from the remote resource now", () => {
    const head = { ...main, "overlays/a/kustomization.yaml": lines("resources:", "  - https://github.com/acme/web//base?ref=v2", "  - https://github.com/acme/shared//monitoring?ref=v1") };
    const withRisk = { ...main, "base/deploy.yaml": deploy("nginx").replace("automountServiceAccountToken: false", "hostNetwork: true") };
    const r = reviewRepo(withRisk, { ...head, "base/deploy.yaml": withRisk["base/deploy.yaml"]! });
    expect(r.findings.filter((f) => f.status === "fixed").map((f) => f.ruleId)).toEqual([]);
  });
});

describe("a root with a resources: file the repository does not hold (a gitignored secret.yaml)", () => {
  const overlay = (tag: string, ...more: string[]): string => lines("resources: [../../base, secret.yaml]", "images:", "  - name: nginx", `    newTag: ${tag}`, ...more);
  const main: Files = { "base/kustomization.yaml": lines("resources: [deploy.yaml]"), "base/deploy.yaml": deploy("nginx:latest"), "overlays/a/kustomization.yaml": overlay('"1.27.0"') };
  const note =
    'Kustomize: overlays/a/kustomization.yaml: resource "secret.yaml" is not in the repository (gitignored? made by the deploy?): Argo CD cannot build overlays/a as committed (ComparisonError); the rest was judged as built without it (its objects are not judged)';

  it("is rendered without it: the overlay's images: pin counts (the base's :latest is no finding), with a note", () => {
    const r = scanRepo(main);
    expect(where(r, "image/mutable-tag")).toEqual([]);
    expect(r.notes).toContain(note);
    expect(r.notes.some((n) => n.includes("was not rendered"))).toBe(false);
  });

  it("has the overlay's own newTag: latest judged at its line", () => {
    expect(where(reviewRepo(main, { ...main, "overlays/a/kustomization.yaml": overlay("latest") }), "image/mutable-tag")).toEqual(["image/mutable-tag overlays/a/kustomization.yaml:4:13 new"]);
  });

  it("does not call fixed what it no longer sees: the objects may be in the missing file now", () => {
    const withRisk: Files = { ...main, "base/deploy.yaml": deploy("nginx").replace("automountServiceAccountToken: false", "hostNetwork: true"), "overlays/a/kustomization.yaml": lines("resources: [../../base]") };
    const head: Files = { ...withRisk, "overlays/a/kustomization.yaml": lines("resources: [web.yaml, secret.yaml]") };
    const r = reviewRepo(withRisk, head);
    expect(r.findings.filter((f) => f.status === "fixed").map((f) => f.ruleId)).toEqual([]);
  });

  it("falls back when a patch aims at nothing (likely an object of the missing file), or when the missing path is no YAML file name", () => {
    const patched = scanRepo({ ...main, "overlays/a/kustomization.yaml": overlay('"1.27.0"', "patches:", "  - target: {kind: Secret, name: db}", "    patch: '[{op: remove, path: /data/x}]'") });
    expect(patched.notes.some((n) => n.startsWith('Kustomize: overlays/a was not rendered (overlays/a/kustomization.yaml: resource "secret.yaml" (overlays/a/secret.yaml) does not exist)'))).toBe(true);
    const dir = scanRepo({ ...main, "overlays/a/kustomization.yaml": lines("resources: [../../base, ../../shared]") });
    expect(dir.notes).toContain('Kustomize: overlays/a was not rendered (overlays/a/kustomization.yaml: resource "../../shared" (shared) does not exist); its files were reviewed one by one');
  });

  it("is still refused by the render command, as by Kustomize", () => {
    const r = buildKustomization(memoryTree(main), "overlays/a");
    expect(r.ok ? "rendered" : r.reason).toBe('overlays/a/kustomization.yaml: resource "secret.yaml" (overlays/a/secret.yaml) does not exist');
  });
});

describe("a root with helmCharts (Argo CD inflates them with --enable-helm; Kustomize without it refuses the root)", () => {
  const deployment = lines(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: api}",
    "spec:",
    "  template:",
    "    spec:",
    "      automountServiceAccountToken: false",
    "      containers:",
    "        - name: api",
    "          image: api",
    "          securityContext: {privileged: true, runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}",
  );
  const chart = ["helmCharts:", "  - name: redis", "    repo: https://charts.bitnami.com/bitnami", "    version: 19.0.1", "    releaseName: cache"];
  const overlay = (tag: string, ...more: string[]): string =>
    lines("resources: [../../base]", "images:", "  - name: api", "    newName: registry.example.com/api", `    newTag: ${tag}`, ...more);
  const unprivileged = ["patches:", "  - target: {kind: Deployment, name: api}", "    patch: |-", "      - op: replace", "        path: /spec/template/spec/containers/0/securityContext/privileged", "        value: false"];
  const main: Files = { "base/kustomization.yaml": lines("resources: [deployment.yaml]"), "base/deployment.yaml": deployment, "overlays/prod/kustomization.yaml": overlay('"1.4.2"', ...unprivileged) };
  const note =
    "Kustomize: overlays/prod/kustomization.yaml: helmCharts (one chart: redis) were left out (the in-process render does not inflate Helm charts; Argo CD does with --enable-helm): their objects are not judged";

  it("is rendered without them: the overlay's own newTag: latest is judged at its line, with a note", () => {
    const r = reviewRepo(main, { ...main, "overlays/prod/kustomization.yaml": overlay("latest", ...unprivileged, ...chart) });
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag overlays/prod/kustomization.yaml:5:13 new"]);
    expect(r.notes).toContain(note);
    expect(r.notes.some((n) => n.includes("was not rendered"))).toBe(false);
  });

  it("is rendered without them when main had them already: the PR's newTag: latest is new", () => {
    const before = { ...main, "overlays/prod/kustomization.yaml": overlay('"1.4.2"', ...unprivileged, ...chart) };
    const r = reviewRepo(before, { ...before, "overlays/prod/kustomization.yaml": overlay("latest", ...unprivileged, ...chart) });
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag overlays/prod/kustomization.yaml:5:13 new"]);
  });

  it("has what an inline JSON 6902 patch adds judged at the patch's value line", () => {
    const hostNetwork = ["  - target: {kind: Deployment, name: api}", "    patch: |-", "      - op: add", "        path: /spec/template/spec/hostNetwork", "        value: true"];
    const r = reviewRepo(main, { ...main, "overlays/prod/kustomization.yaml": overlay('"1.4.2"', ...unprivileged, ...hostNetwork, ...chart) });
    expect(where(r, "k8s/host-namespaces")).toEqual(["k8s/host-namespaces overlays/prod/kustomization.yaml:16:16 new"]);
  });

  it("reports none of the base's risks the overlay fixes (its pinned tag, its privileged: false patch)", () => {
    const r = scanRepo({ ...main, "overlays/prod/kustomization.yaml": overlay('"1.4.2"', ...unprivileged, ...chart) });
    expect(where(r, "image/mutable-tag", "k8s/privileged-container")).toEqual([]);
    expect(r.notes).toContain(note);
  });

  it("names every chart, under helmCharts: or the deprecated helmChartInflationGenerator:", () => {
    const two = ["helmChartInflationGenerator:", "  - chartName: postgresql", "    chartRepoUrl: https://charts.bitnami.com/bitnami"];
    const r = scanRepo({ ...main, "overlays/prod/kustomization.yaml": overlay('"1.4.2"', ...unprivileged, ...chart, ...two) });
    expect(r.notes).toContain(note.replace("(one chart: redis)", "(2 charts: redis, postgresql)"));
    expect(where(r, "image/mutable-tag", "k8s/privileged-container")).toEqual([]);
  });

  it("does not call fixed what it no longer sees: the objects may come from the chart now", () => {
    const withRisk: Files = { ...main, "overlays/prod/kustomization.yaml": lines("resources: [../../base]") };
    const head: Files = { ...withRisk, "overlays/prod/kustomization.yaml": lines("resources: [web.yaml]", ...chart), "overlays/prod/web.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}") };
    const r = reviewRepo(withRisk, head);
    expect(r.findings.filter((f) => f.status === "fixed").map((f) => f.ruleId)).toEqual([]);
  });

  it("calls fixed what the head still renders without the risk, and what a deleted repository file defined (held-out round 16)", () => {
    const before: Files = { ...main, "base/kustomization.yaml": lines("resources: [deployment.yaml, cm.yaml]"), "base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}"), "overlays/prod/kustomization.yaml": overlay('"1.4.2"', ...chart) };
    const fixed = (head: Files): string[] => reviewRepo(before, head).findings.filter((f) => f.status === "fixed").map((f) => `${f.ruleId} ${f.file}`);
    expect(fixed({ ...before, "base/deployment.yaml": deployment.replace("privileged: true", "privileged: false") })).toEqual(["k8s/privileged-container base/deployment.yaml"]);
    const { ["base/deployment.yaml"]: _deleted, ...rest } = before;
    expect(fixed({ ...rest, "base/kustomization.yaml": lines("resources: [cm.yaml]") })).toEqual(["k8s/privileged-container base/deployment.yaml"]);
    // Left out of the root, its file kept: the chart may apply it now.
    expect(fixed({ ...before, "base/kustomization.yaml": lines("resources: [cm.yaml]") })).toEqual([]);
  });

  it("falls back to its files one by one when a patch aims at nothing (likely an object of the chart), with the reason", () => {
    const r = scanRepo({ ...main, "overlays/prod/kustomization.yaml": overlay('"1.4.2"', "patches:", "  - target: {kind: StatefulSet, name: cache-redis-master}", "    patch: '[{op: remove, path: /spec/replicas}]'", ...chart) });
    // The reason the build without the chart stopped is said too (held-out round 16: only "helmCharts is not supported").
    expect(r.notes.filter((n) => n.startsWith("Kustomize: overlays/prod was not rendered"))).toEqual([
      "Kustomize: overlays/prod was not rendered (overlays/prod/kustomization.yaml: helmCharts is not supported by the in-process render; built without its charts: overlays/prod/kustomization.yaml: patches[0]: the target matches no resource (a Helm chart (helmCharts: redis) was left out)); its files were reviewed one by one",
    ]);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container base/deployment.yaml:11:41 new"]);
  });

  it("is still refused by the render command, as by Kustomize without --enable-helm", () => {
    const r = buildKustomization(memoryTree({ ...main, "overlays/prod/kustomization.yaml": overlay('"1.4.2"', ...chart) }), "overlays/prod");
    expect(r.ok ? "rendered" : r.reason).toBe("overlays/prod/kustomization.yaml: helmCharts is not supported by the in-process render");
  });
});

describe("a deleted overlay beside one that does not render", () => {
  const pod = lines("apiVersion: v1", "kind: Pod", "metadata: {name: web}", "spec:", "  containers:", "    - name: c", "      image: registry.example.com/app:1.0.0", "      securityContext: {privileged: true}");
  // A chart and a patch of one of its objects: left out, the chart leaves the patch aiming at nothing (no render).
  const helm = ["helmCharts:", "  - name: monitoring", "    repo: https://charts.example.com", "    version: 1.0.0", "patches:", "  - target: {kind: Deployment, name: monitoring}", "    patch: '[{op: remove, path: /spec/replicas}]'"];
  const main: Files = {
    "base/kustomization.yaml": lines("resources: [pod.yaml]"),
    "base/pod.yaml": pod,
    "overlays/a/kustomization.yaml": lines("resources: [../../base]"),
    "overlays/b/kustomization.yaml": lines("resources: [../../base]", ...helm),
  };

  it("fixes none of the base lines the other overlay still reads", () => {
    const { ["overlays/a/kustomization.yaml"]: _gone, ...head } = main;
    const r = reviewRepo(main, head);
    expect(r.findings.filter((f) => f.status === "fixed").map((f) => `${f.ruleId} ${f.file}`)).toEqual([]);
  });

  it("says so when one overlay fixes a base line the other, unrendered, still reads", () => {
    const fix = lines("apiVersion: v1", "kind: Pod", "metadata: {name: web}", "spec:", "  containers:", "    - name: c", "      securityContext: {privileged: false}");
    const head = { ...main, "overlays/a/kustomization.yaml": lines("resources: [../../base]", "patches: [{path: fix.yaml}]"), "overlays/a/fix.yaml": fix, "base/pod.yaml": pod.replace("app:1.0.0", "app:1.0.1") };
    const r = reviewRepo(main, head);
    const fixed = r.findings.filter((f) => f.status === "fixed" && f.ruleId === "k8s/privileged-container");
    expect(fixed.map((f) => `${f.file}:${f.line}`)).toEqual(["base/pod.yaml:8"]);
    expect(fixed[0]!.message).toContain("overlays/b reads this file too (not rendered here: see the notes)");
  });
});

describe("Kustomize's own configurations under transformers: and generators: (apiVersion: builtin)", () => {
  const patchConfig = lines(
    "apiVersion: builtin",
    "kind: PatchTransformer",
    "metadata: {name: debug}",
    "patch: |-",
    "  - op: add",
    "    path: /spec/template/spec/containers/0/securityContext",
    "    value: {privileged: true}",
    "target: {kind: Deployment}",
    "---",
    "apiVersion: builtin",
    "kind: ImageTagTransformer",
    "metadata: {name: latest}",
    "imageTag:",
    "  name: nginx",
    "  newTag: latest",
  );
  const main: Files = {
    "base/kustomization.yaml": lines("resources: [deploy.yaml]"),
    "base/deploy.yaml": deploy("nginx:1.27.0"),
    "overlay/kustomization.yaml": lines("resources: [../base]"),
  };

  it("are built as Kustomize builds them (no plugin runs them): what they write is judged at the config's lines", () => {
    const head = { ...main, "overlay/kustomization.yaml": lines("resources: [../base]", "transformers: [debug.yaml]"), "overlay/debug.yaml": patchConfig };
    const r = reviewRepo(main, head);
    expect(where(r, "k8s/privileged-container", "image/mutable-tag")).toEqual([
      "k8s/privileged-container overlay/debug.yaml:7:25 new",
      "image/mutable-tag overlay/debug.yaml:15:11 new",
    ]);
    expect(r.notes.some((n) => n.includes("plugin") || n.includes("not rendered"))).toBe(false);
  });

  it("a generator configuration's literal is judged at its line", () => {
    const gen = lines("apiVersion: builtin", "kind: SecretGenerator", "metadata: {name: db}", "literals:", "  - DB_PASSWORD=Xk9vQ2mLp7Rt");
    const r = scanRepo({ ...main, "overlay/kustomization.yaml": lines("resources: [../base]", "generators: [gen.yaml]"), "overlay/gen.yaml": gen });
    expect(where(r, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret overlay/gen.yaml:5:5 new"]);
  });

  it("one this build does not do (a name suffix on one kind only) makes the root fall back, and the note says which", () => {
    const suffix = lines("apiVersion: builtin", "kind: PrefixSuffixTransformer", "metadata: {name: s}", "suffix: -dev", "fieldSpecs:", "  - {path: metadata/name, kind: Deployment}");
    const r = scanRepo({ ...main, "overlay/kustomization.yaml": lines("resources: [../base]", "transformers: [suffix.yaml]"), "overlay/suffix.yaml": suffix });
    expect(r.notes).toContain(
      "Kustomize: overlay was not rendered (overlay/suffix.yaml: the built-in PrefixSuffixTransformer with fieldSpecs other than metadata/name is not supported by the in-process render); its files were reviewed one by one",
    );
  });
});

describe("what a root that does not render still generates", () => {
  it("is named for that root, not for the base whose generator it is", () => {
    const files: Files = {
      "base/kustomization.yaml": lines("resources: [deploy.yaml]", "configMapGenerator:", "  - name: cfg", "    envs: [app.env]"),
      "base/deploy.yaml": deploy("nginx:1.27.0"),
      "base/app.env": lines("LOG=info", "DB_PASSWORD=Pz7vQ2mX9kLw4Rt"),
      "overlays/b/kustomization.yaml": lines("resources: [../../base]", "patches:", "  - path: missing.yaml"),
    };
    const found = scanRepo(files).findings.filter((f) => f.ruleId === "secrets/sensitive-config-value");
    expect(found.map((f) => `${f.file}:${f.line} ${JSON.stringify(f.renderedFrom)}`)).toEqual(['base/app.env:2 ["base (generators only: overlays/b did not render)"]']);
  });

  it("names every root that did not render and reads it, not only the first (held-out round 18)", () => {
    const files: Files = {
      "base/kustomization.yaml": lines("resources: [deploy.yaml]", "configMapGenerator:", "  - name: cfg", "    envs: [app.env]"),
      "base/deploy.yaml": deploy("nginx:1.27.0"),
      "base/app.env": lines("LOG=info", "DB_PASSWORD=Pz7vQ2mX9kLw4Rt"),
      "overlays/a/kustomization.yaml": lines("resources: [../../base]", "patches:", "  - path: missing.yaml"),
      "overlays/b/kustomization.yaml": lines("resources: [../../base]", "patches:", "  - path: missing.yaml"),
    };
    const found = scanRepo(files).findings.filter((f) => f.ruleId === "secrets/sensitive-config-value");
    expect(found.map((f) => `${f.file}:${f.line} ${JSON.stringify(f.renderedFrom)}`)).toEqual(['base/app.env:2 ["base (generators only: overlays/a, overlays/b did not render)"]']);
  });
});

describe("a root with a plugin that would not build without it either", () => {
  it("names what stopped it then (a missing patch), besides the plugin", () => {
    const files: Files = {
      "base/kustomization.yaml": lines("resources: [deploy.yaml]"),
      "base/deploy.yaml": deploy("nginx:1.27.0"),
      "overlays/b/kustomization.yaml": lines("resources: [../../base]", "generators: [ksops.yaml]", "patches:", "  - path: missing.yaml"),
      "overlays/b/ksops.yaml": KSOPS,
    };
    expect(scanRepo(files).notes).toContain(
      'Kustomize: overlays/b was not rendered (overlays/b/kustomization.yaml: generators (plugins) is not supported by the in-process render; built without its plugins: overlays/b/kustomization.yaml: patch "missing.yaml" (overlays/b/missing.yaml) does not exist); its files were reviewed one by one',
    );
  });
});
