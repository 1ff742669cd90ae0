/**
 * A pull request that breaks a root's build (the base built it; Kustomize or Argo CD refuses the head) fails the review
 * with a `guard/parse-error` finding at the root's kustomization, instead of passing on a note: merged, Argo CD cannot
 * sync it (held-out round 13: a deleted component still listed, an Application's commonLabels conflicting with the
 * overlay's, each passed).
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { mapSide } from "../../src/core/repository.js";
import { review } from "../../src/core/review.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { NOW, changesBetween, lines, reviewRepo, where, type Files } from "./kustomize-helpers.js";

const PRIVILEGED = lines(
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: web",
  "spec:",
  "  selector: {matchLabels: {app: web}}",
  "  template:",
  "    metadata: {labels: {app: web}}",
  "    spec:",
  "      containers:",
  "        - name: web",
  "          image: registry.example.com/web:1.2.3",
  "          securityContext: {privileged: true}",
);

const base: Files = {
  "base/kustomization.yaml": lines("resources:", "  - deploy.yaml"),
  "base/deploy.yaml": PRIVILEGED,
  "components/sec/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "commonAnnotations: {team: web}"),
  "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "components:", "  - ../../components/sec", "commonLabels:", "  environment: prod"),
};

const app = (kustomize: string[] = []): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata: {name: web-prod, namespace: argocd}",
    "spec:",
    "  project: web",
    "  source:",
    "    repoURL: https://example.com/r.git",
    "    targetRevision: v1",
    "    path: overlays/prod",
    ...kustomize,
    "  destination: {name: prod, namespace: web}",
  );

const broken = (r: ReturnType<typeof reviewRepo>) => where(r, "guard/parse-error");

describe("a pull request that breaks a root's build", () => {
  it("deleting a component the overlay still lists: a new blocking finding at the entry that names it, the rest still judged", () => {
    const head = { ...base };
    delete head["components/sec/kustomization.yaml"];
    const r = reviewRepo(base, head);
    expect(broken(r)).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:4:5 new"]);
    const f = r.findings.find((x) => x.ruleId === "guard/parse-error")!;
    expect(f.message).toMatch(/^overlays\/prod no longer builds \(.*component "\.\.\/\.\.\/components\/sec".* does not exist\): merged, Argo CD cannot generate its manifests/);
    expect(r.conclusion).toBe("failure");
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container base/deploy.yaml:13:41 existing"]);
  });

  it("an Application's kustomize.commonLabels that Argo CD refuses (the overlay sets the label): new, blocking, at the Application's label", () => {
    const withApp = { ...base, "argocd/web-prod.yaml": app() };
    const r = reviewRepo(withApp, { ...withApp, "argocd/web-prod.yaml": app(["    kustomize:", "      commonLabels:", "        environment: production"]) });
    // At the label the pull request wrote (held-out round 21: it was the unchanged kustomization's line 1).
    expect(broken(r)).toEqual(["guard/parse-error argocd/web-prod.yaml:12:9 new"]);
    const f = r.findings.find((x) => x.ruleId === "guard/parse-error")!;
    expect(f.message).toMatch(/Application argocd\/web-prod no longer builds \(Argo CD kustomize: label environment already in kustomization file/);
    // kubectl kustomize builds the directory (the failure is Argo CD's edit step): the message must not call it a render defect.
    expect(f.message).toContain("`kubectl kustomize overlays/prod` alone does not run it");
    expect(f.message).not.toContain("render defect");
    expect(f.fix).toContain("forceCommonLabels: true");
    expect(r.conclusion).toBe("failure");
    // With forceCommonLabels Argo CD builds it: nothing broken.
    const forced = reviewRepo(withApp, { ...withApp, "argocd/web-prod.yaml": app(["    kustomize:", "      forceCommonLabels: true", "      commonLabels:", "        environment: production"]) });
    expect(broken(forced)).toEqual([]);
  });

  it("a resource file deleted while the overlay lists it: blocking, though the lenient build judged the rest", () => {
    const withFile: Files = { ...base, "base/kustomization.yaml": lines("resources:", "  - deploy.yaml", "  - extra.yaml"), "base/extra.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: extra}", "data: {a: b}") };
    const head = { ...withFile };
    delete head["base/extra.yaml"];
    const r = reviewRepo(withFile, head);
    // The overlay reads it (base/ is not a root of its own): one finding, at the base kustomization's `- extra.yaml`.
    expect(broken(r)).toEqual(["guard/parse-error base/kustomization.yaml:3:5 new"]);
    expect(r.conclusion).toBe("failure");
  });

  it("a listed file deleted while the overlay patches its object (the lenient build fails too): none of its findings is fixed, Argo CD keeps it running (held-out round 17)", () => {
    const withPatch: Files = {
      ...base,
      "overlays/prod/kustomization.yaml": lines(
        "resources:",
        "  - ../../base",
        "patches:",
        "  - target: {kind: Deployment, name: web}",
        "    patch: |",
        "      - op: add",
        "        path: /metadata/labels",
        "        value: {tier: prod}",
      ),
    };
    const head = { ...withPatch };
    delete head["base/deploy.yaml"];
    const r = reviewRepo(withPatch, head);
    expect(broken(r)).toEqual(["guard/parse-error base/kustomization.yaml:2:5 new"]);
    expect(r.findings.filter((f) => f.status === "fixed").map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([]);
    expect(r.notes.find((n) => n.startsWith("base/deploy.yaml: "))).toMatch(/^base\/deploy\.yaml: \d+ findings of its base version are not called fixed: overlays\/prod no longer builds/);
    expect(r.conclusion).toBe("failure");
  });

  it("a listed file deleted while the overlay patches its object: the root's other, unchanged files keep their findings existing (held-out round 21)", () => {
    const withPatch: Files = {
      ...base,
      "base/kustomization.yaml": lines("resources:", "  - deploy.yaml", "  - cm.yaml"),
      "base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: cm}", "data:", '  DB_PASSWORD: "Zq8vR2kP9mXw"'),
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "patches:", "  - target: {kind: Deployment, name: web}", "    patch: |", "      - op: add", "        path: /metadata/labels", "        value: {tier: prod}"),
    };
    const head = { ...withPatch };
    delete head["base/deploy.yaml"];
    const r = reviewRepo(withPatch, head);
    expect(where(r, "secrets/sensitive-config-value")).toEqual(["secrets/sensitive-config-value base/cm.yaml:5:16 existing"]);
    expect(r.findings.filter((f) => f.status === "fixed")).toEqual([]);
  });

  it("a base directory that loses its kustomization.yaml: the finding is at the overlay's entry naming it, and the base's findings stay existing (held-out round 21)", () => {
    const head = { ...base };
    delete head["base/kustomization.yaml"];
    const r = reviewRepo(base, head);
    // At `  - ../../base` (line 2), not the overlay's line 1.
    expect(broken(r)).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:2:5 new"]);
    expect(r.findings.find((x) => x.ruleId === "guard/parse-error")!.message).toMatch(/^overlays\/prod no longer builds \(unable to find one of 'kustomization\.yaml'.* in directory 'base'\)/);
    // Merged, Argo CD keeps running what it applied: the base's privileged container is neither gone nor new.
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container base/deploy.yaml:13:41 existing"]);
    expect(r.findings.filter((f) => f.status === "fixed")).toEqual([]);
    expect(r.conclusion).toBe("failure");
    // Restored, the same entry is where the fixed finding is.
    expect(broken(reviewRepo(head, base))).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:2:5 fixed"]);
  });

  it("a pull request that mends the build: the finding is fixed, and no note says the root cannot be built", () => {
    const withFile: Files = { ...base, "base/kustomization.yaml": lines("resources:", "  - deploy.yaml", "  - extra.yaml"), "base/extra.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: extra}", "data: {a: b}") };
    const brokenTree = { ...withFile };
    delete brokenTree["base/extra.yaml"];
    const r = reviewRepo(brokenTree, withFile);
    expect(broken(r)).toEqual(["guard/parse-error base/kustomization.yaml:3:5 fixed"]);
    expect(r.findings.find((x) => x.ruleId === "guard/parse-error")!.message).toMatch(/^overlays\/prod did not build on the base commit \(.*\): Argo CD could not generate its manifests; this pull request makes it build again\.$/);
    expect(r.notes.filter((n) => n.includes("is not in the repository"))).toEqual([]);
    expect(r.conclusion).toBe("success");
  });

  it("a mended generator's unchanged input the base side never read (as the adapters read only what a side's render needs): its committed password stays existing (held-out round 16)", () => {
    const release = lines("apiVersion: helm.toolkit.fluxcd.io/v2beta1", "kind: HelmRelease", "metadata: {name: mysql}", "spec:", "  interval: 1h", "  chart: {spec: {chart: mysql, sourceRef: {kind: HelmRepository, name: bitnami}}}", "  valuesFrom:", "    - {kind: ConfigMap, name: mysql-values-overrides}");
    const generator = (entry: string) => lines("resources:", "  - ../../base", "configMapGenerator:", "  - name: mysql-values-overrides", "    files:", `      - ${entry}`);
    const brokenTree: Files = {
      "base/kustomization.yaml": lines("resources:", "  - helm-release.yaml"),
      "base/helm-release.yaml": release,
      "overlays/staging/values-overrides.yaml": lines("auth:", '  rootPassword: "Zq8vR2kP9mXw"'),
      "overlays/staging/kustomization.yaml": generator("values-overrides.yaml=values.yaml"),
    };
    const mendedTree: Files = { ...brokenTree, "overlays/staging/kustomization.yaml": generator("values.yaml=values-overrides.yaml") };
    const { changes, changed } = changesBetween(brokenTree, mendedTree);
    // The base side's reader does not hold the file its build never named (the CLI and the App read what the plan needs).
    const unread = new Map(Object.entries(brokenTree).filter(([p]) => p !== "overlays/staging/values-overrides.yaml"));
    const repository = { base: mapSide(unread, Object.keys(brokenTree)), head: mapSide(new Map(Object.entries(mendedTree))), changed };
    const r = review({ changes, config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: NOW, repository });
    expect(where(r, "secrets/sensitive-config-value")).toEqual(["secrets/sensitive-config-value overlays/staging/values-overrides.yaml:2:3 existing"]);
    expect(broken(r)).toEqual(["guard/parse-error overlays/staging/kustomization.yaml:6:31 fixed"]);
    expect(r.conclusion).toBe("success");
  });

  it("a pull request that mends a root: the base lines another root already applies stay existing, what the mended root alone adds is new (held-out round 16)", () => {
    const staging = lines("resources:", "  - ../../base", "namespace: staging");
    const prod = (...entries: string[]) => lines("resources:", "  - ../../base", ...entries, "namespace: prod", "patches:", "  - path: host.yaml");
    const host = lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      hostNetwork: true");
    const tree = (entries: string[]): Files => ({ ...base, "overlays/staging/kustomization.yaml": staging, "overlays/prod/kustomization.yaml": prod(...entries), "overlays/prod/host.yaml": host });
    // The base's prod overlay lists a file outside its directory (Kustomize's load restrictions refuse it); the pull
    // request lists the copy it adds beside it.
    const brokenTree = { ...tree(["  - ../shared/quota.yaml"]), "overlays/shared/quota.yaml": lines("apiVersion: v1", "kind: ResourceQuota", "metadata: {name: q}", "spec: {hard: {pods: '10'}}") };
    const mendedTree = { ...tree(["  - quota.yaml"]), "overlays/shared/quota.yaml": brokenTree["overlays/shared/quota.yaml"]!, "overlays/prod/quota.yaml": brokenTree["overlays/shared/quota.yaml"]! };
    const r = reviewRepo(brokenTree, mendedTree);
    expect(broken(r)).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:3:5 fixed"]);
    // The base's privileged container, which staging applied on the base: existing; prod's hostNetwork patch: new.
    expect(where(r, "k8s/privileged-container", "k8s/host-namespaces")).toEqual(["k8s/host-namespaces overlays/prod/host.yaml:7:20 new", "k8s/privileged-container base/deploy.yaml:13:41 existing"]);
  });

  it("is not reported for a path at or under a symbolic link or submodule, which Kustomize and Argo CD follow (held-out round 15)", () => {
    // The base moved, a symbolic link left at its old path (the adapters list links apart from files).
    const moved: Files = Object.fromEntries(Object.entries(base).map(([p, t]) => [p.startsWith("base/") ? p.replace("base/", "bases/web/") : p, t]));
    const r = reviewRepo(base, moved, { links: ["base"] });
    expect(broken(r)).toEqual([]);
    // Without the link, the overlay no longer builds.
    expect(broken(reviewRepo(base, moved))).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:2:5 new"]);
    // A component in a submodule (a gitlink the tree lists, its content not in this repository).
    const vendored = { ...base, "overlays/prod/kustomization.yaml": base["overlays/prod/kustomization.yaml"]!.replace("../../components/sec", "../../vendor/components/sec") };
    expect(broken(reviewRepo(base, vendored, { links: ["vendor"] }))).toEqual([]);
  });

  it("an overlay that adds an openapi schema written as JSON (committed with it) builds: nothing reported (held-out round 15)", () => {
    const schema = JSON.stringify({ definitions: {} });
    const head: Files = { ...base, "overlays/prod/schema.json": schema, "overlays/prod/kustomization.yaml": `${base["overlays/prod/kustomization.yaml"]}openapi:\n  path: schema.json\n` };
    expect(broken(reviewRepo(base, head))).toEqual([]);
  });

  it("a deleted patch file is reported at the patches entry that names it; the base side's note does not repeat the head's reason (held-out round 15)", () => {
    const patched: Files = { ...base, "overlays/prod/kustomization.yaml": `${base["overlays/prod/kustomization.yaml"]}patches:\n  - path: replicas.yaml\n`, "overlays/prod/replicas.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec: {replicas: 2}") };
    const head = { ...patched };
    delete head["overlays/prod/replicas.yaml"];
    const r = reviewRepo(patched, head);
    expect(broken(r)).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:8:11 new"]);
    expect(r.notes.filter((n) => n.includes("on the base side"))).toEqual([]);
    // An Application's overrides the head cannot build: the base side, which built, has no note either.
    const withApp = { ...base, "argocd/web-prod.yaml": app() };
    const conflict = reviewRepo(withApp, { ...withApp, "argocd/web-prod.yaml": app(["    kustomize:", "      commonLabels:", "        environment: production"]) });
    expect(conflict.notes.filter((n) => n.includes("on the base side"))).toEqual([]);
  });

  it("a generator the build refuses (a secretGenerator named like a base Secret, a merge with nothing to merge) is reported at its name: line, not line 1 (held-out round 17)", () => {
    const secret = lines("apiVersion: v1", "kind: Secret", "metadata: {name: db}", "stringData: {username: app}");
    const withSecret: Files = { ...base, "base/kustomization.yaml": lines("resources:", "  - deploy.yaml", "  - secret.yaml"), "base/secret.yaml": secret };
    const overlay = (generator: string[]): Files => ({
      ...withSecret,
      "overlays/prod/kustomization.yaml": `${withSecret["overlays/prod/kustomization.yaml"]}${lines(...generator)}`,
      "overlays/prod/db.env": "username=app\n",
    });
    // Kustomize: "Secret/db exists; behavior must be merge or replace" — at the db generator's `name:` line (12), its value's column.
    const named = reviewRepo(withSecret, overlay(["secretGenerator:", "  - envs: [db.env]", "    name: other", "  - envs:", "      - db.env", "    name: db"]));
    expect(broken(named)).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:12:11 new"]);
    // Its own fix, not the rule's YAML-syntax one.
    const fix = named.findings.find((f) => f.ruleId === "guard/parse-error")!.fix;
    expect(fix).toContain("Restore the file, directory or component the kustomization names, or remove its entry");
    expect(fix).toContain("Run `kubectl kustomize overlays/prod` to check that it builds before merging.");
    expect(fix).not.toContain("YAML syntax");
    // "ConfigMap/cfg does not exist; cannot merge or replace" — at its name.
    const merge = reviewRepo(withSecret, overlay(["configMapGenerator:", "  - name: cfg", "    behavior: merge", "    literals: [a=b]"]));
    expect(broken(merge)).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:8:11 new"]);
  });

  it("a root with helmCharts (which Argo CD inflates with --enable-helm) is judged as Kustomize with the charts would: a listed file deleted breaks it, a patch aimed at the chart's objects does not (held-out round 16)", () => {
    const charts = ["helmCharts:", "  - name: goldilocks", "    repo: https://charts.fairwinds.com/stable", "    version: 8.0.2", "    releaseName: goldilocks"];
    const namespace = lines("apiVersion: v1", "kind: Namespace", "metadata: {name: goldilocks}");
    const withChart: Files = { "platform/goldilocks/kustomization.yaml": lines("namespace: goldilocks", "resources:", "  - namespace.yaml", ...charts), "platform/goldilocks/namespace.yaml": namespace };
    const head = { ...withChart };
    delete head["platform/goldilocks/namespace.yaml"];
    const r = reviewRepo(withChart, head);
    expect(broken(r)).toEqual(["guard/parse-error platform/goldilocks/kustomization.yaml:3:5 new"]);
    expect(r.findings.find((x) => x.ruleId === "guard/parse-error")!.message).toContain("If `kubectl kustomize --enable-helm platform/goldilocks` builds it");
    expect(r.conclusion).toBe("failure");
    // Mended: fixed.
    expect(broken(reviewRepo(head, withChart))).toEqual(["guard/parse-error platform/goldilocks/kustomization.yaml:3:5 fixed"]);
    // A patch of the chart's Deployment matches nothing without the chart; with it, Kustomize builds: nothing broken.
    const patched = { ...withChart, "platform/goldilocks/kustomization.yaml": `${withChart["platform/goldilocks/kustomization.yaml"]}patches:\n  - patch: '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "goldilocks-controller"}, "spec": {"replicas": 2}}'\n` };
    expect(broken(reviewRepo(withChart, patched))).toEqual([]);
    // A file outside the root listed, which Kustomize's load restrictions refuse with or without the charts (held-out
    // round 21 D5: it passed for a root with charts, while the same entry in a plain overlay was reported).
    const shared = { ...withChart, "platform/shared/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: shared}", "data: {a: b}") };
    const outside = { ...shared, "platform/goldilocks/kustomization.yaml": lines("namespace: goldilocks", "resources:", "  - namespace.yaml", "  - ../shared/cm.yaml", ...charts) };
    const restricted = reviewRepo(shared, outside);
    expect(broken(restricted)).toEqual(["guard/parse-error platform/goldilocks/kustomization.yaml:4:5 new"]);
    expect(restricted.findings.find((x) => x.ruleId === "guard/parse-error")!.message).toContain("kustomize's default load restrictions");
    // Argo CD told to build without them (argocd-cm kustomize.buildOptions): it builds, nothing broken.
    const argocdCm = lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: argocd-cm, namespace: argocd}", "data:", "  kustomize.buildOptions: --load-restrictor LoadRestrictionsNone");
    expect(broken(reviewRepo({ ...shared, "argocd/argocd-cm.yaml": argocdCm }, { ...outside, "argocd/argocd-cm.yaml": argocdCm }))).toEqual([]);
  });

  it("a patch or generator input a base's kustomization lists, deleted: reported at that kustomization's entry, not at the root's line 1 (held-out round 18)", () => {
    const deployment = lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec: {replicas: 2}");
    const nested: Files = {
      ...base,
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../mid"),
      "mid/kustomization.yaml": lines(
        "resources:", // 1
        "  - ../base", // 2
        "patches:", // 3
        "  - path: replicas.yaml", // 4
        "patchesStrategicMerge:", // 5
        "  - smp.yaml", // 6
        "configMapGenerator:", // 7
        "  - name: cfg", // 8
        "    files:", // 9
        "      - app.ini", // 10
        "    envs:", // 11
        "      - cfg.env", // 12
      ),
      "mid/replicas.yaml": deployment,
      "mid/smp.yaml": deployment,
      "mid/app.ini": "a=b\n",
      "mid/cfg.env": "c=d\n",
    };
    const without = (path: string): Files => {
      const head = { ...nested };
      delete head[path];
      return head;
    };
    expect(broken(reviewRepo(nested, without("mid/replicas.yaml")))).toEqual(["guard/parse-error mid/kustomization.yaml:4:11 new"]);
    expect(broken(reviewRepo(nested, without("mid/smp.yaml")))).toEqual(["guard/parse-error mid/kustomization.yaml:6:5 new"]);
    expect(broken(reviewRepo(nested, without("mid/app.ini")))).toEqual(["guard/parse-error mid/kustomization.yaml:10:9 new"]);
    expect(broken(reviewRepo(nested, without("mid/cfg.env")))).toEqual(["guard/parse-error mid/kustomization.yaml:12:9 new"]);
    // The reason names the kustomization that lists the file.
    const r = reviewRepo(nested, without("mid/replicas.yaml"));
    expect(r.findings.find((f) => f.ruleId === "guard/parse-error")!.message).toContain('(mid/kustomization.yaml: patch "replicas.yaml" (mid/replicas.yaml) does not exist)');
  });

  it("two overlays broken by one base's missing file: one finding at its entry naming both, not one each (held-out round 18)", () => {
    const shared: Files = {
      ...base,
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../mid"),
      "overlays/dev/kustomization.yaml": lines("resources:", "  - ../../mid"),
      "mid/kustomization.yaml": lines("resources:", "  - ../base", "patches:", "  - path: replicas.yaml"),
      "mid/replicas.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec: {replicas: 2}"),
    };
    const head = { ...shared };
    delete head["mid/replicas.yaml"];
    const r = reviewRepo(shared, head);
    expect(broken(r)).toEqual(["guard/parse-error mid/kustomization.yaml:4:11 new"]);
    expect(r.findings.find((f) => f.ruleId === "guard/parse-error")!.message).toMatch(
      /^2 overlays \(overlays\/dev, overlays\/prod\) no longer build \(mid\/kustomization\.yaml: patch "replicas\.yaml" .*\): merged, Argo CD cannot generate their manifests \(ComparisonError\)/,
    );
    // Mended: one fixed finding too.
    expect(broken(reviewRepo(head, shared))).toEqual(["guard/parse-error mid/kustomization.yaml:4:11 fixed"]);
  });

  it("a base's field written wrong, or a component's patch that matches nothing: one finding at that line naming the overlays, not one per overlay at line 1 (held-out round 23)", () => {
    const shared: Files = {
      ...base,
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
      "overlays/dev/kustomization.yaml": lines("resources:", "  - ../../base", "components:", "  - ../../components/sec"),
      "overlays/qa/kustomization.yaml": lines("resources:", "  - ../../base", "components:", "  - ../../components/sec"),
    };
    const invalid = reviewRepo(shared, { ...shared, "base/kustomization.yaml": lines("resources:", "  - deploy.yaml", "commonLabels: web") });
    expect(broken(invalid)).toEqual(["guard/parse-error base/kustomization.yaml:3:15 new"]);
    expect(invalid.findings.find((f) => f.ruleId === "guard/parse-error")!.message).toMatch(/^3 overlays \(overlays\/dev, overlays\/prod, overlays\/qa\) no longer build \(invalid Kustomization base\/kustomization\.yaml: commonLabels: expected a map\)/);
    const component = lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "patches:", "  - path: p.yaml");
    const nomatch = reviewRepo(shared, { ...shared, "components/sec/kustomization.yaml": component, "components/sec/p.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: absent}", "data: {a: b}") });
    expect(broken(nomatch)).toEqual(["guard/parse-error components/sec/kustomization.yaml:4:5 new"]);
    expect(nomatch.findings.find((f) => f.ruleId === "guard/parse-error")!.message).toMatch(/^2 overlays \(overlays\/dev, overlays\/qa\) no longer build \(components\/sec\/kustomization\.yaml: patches\[0\]: no resource matches ConfigMap\/absent/);
  });

  it("a var whose target a patch deletes: reported at the var's name in vars, not at line 1 (held-out round 18)", () => {
    const withVar: Files = {
      "app/kustomization.yaml": lines(
        "resources:", // 1
        "  - service.yaml", // 2
        "  - cm.yaml", // 3
        "vars:", // 4
        "  - name: SERVICE_NAME", // 5
        "    objref: {kind: Service, name: web, apiVersion: v1}", // 6
      ),
      "app/service.yaml": lines("apiVersion: v1", "kind: Service", "metadata: {name: web}", "spec: {ports: [{port: 80}]}"),
      "app/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: cfg}", "data: {svc: $(SERVICE_NAME)}"),
    };
    const head = { ...withVar, "app/kustomization.yaml": `${withVar["app/kustomization.yaml"]}${lines("patches:", "  - patch: |-", "      $patch: delete", "      apiVersion: v1", "      kind: Service", "      metadata: {name: web}")}` };
    const r = reviewRepo(withVar, head);
    expect(broken(r)).toEqual(["guard/parse-error app/kustomization.yaml:5:11 new"]);
    expect(r.findings.find((f) => f.ruleId === "guard/parse-error")!.message).toContain("var 'SERVICE_NAME'");
  });

  it("is not reported for what the in-process render does not support, nor for a root the base did not build either", () => {
    const remote = reviewRepo(base, { ...base, "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "  - https://github.com/example/x//deploy?ref=v1", "components:", "  - ../../components/sec") });
    expect(broken(remote)).toEqual([]);
    const gone = { ...base };
    delete gone["components/sec/kustomization.yaml"];
    const stillGone = reviewRepo(gone, { ...gone, "base/deploy.yaml": PRIVILEGED.replace("1.2.3", "1.2.4") });
    expect(broken(stillGone)).toEqual([]);
  });
});
