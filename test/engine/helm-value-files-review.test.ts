/**
 * A Helm values file an Argo CD Application names in `helm.valueFiles`, whatever it is called (held-out round 10:
 * `$values/apps/falco/overrides.yaml` with `tag: latest` twice gave no finding; named `values.yaml` it gave two).
 */
import { describe, expect, it } from "@jest/globals";
import { lines, only, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

const application = lines(
  "apiVersion: argoproj.io/v1alpha1",
  "kind: Application",
  "metadata: {name: falco, namespace: argocd}",
  "spec:",
  "  project: platform",
  "  sources:",
  "    - repoURL: https://falcosecurity.github.io/charts",
  "      chart: falco",
  "      targetRevision: 4.2.0",
  "      helm:",
  "        valueFiles: [$values/apps/falco/overrides.yaml]",
  "    - {repoURL: https://github.com/acme/gitops.git, targetRevision: main, ref: values}",
  "  destination: {name: prod, namespace: falco}",
);
const overrides = (tag: string): string => lines("image:", "  repository: falcosecurity/falco", `  tag: ${tag}`, "postgresql:", "  auth:", "    password: Xk9vQ2mLp7Rt");

describe("a values file an Application names", () => {
  const repo: Files = { "apps/falco-app.yaml": application, "apps/falco/overrides.yaml": overrides("latest") };

  it("is judged as Helm values: its mutable tag and its literal password, at their lines", () => {
    const r = scanRepo(repo);
    expect(where(r, "image/mutable-tag", "secrets/sensitive-config-value")).toEqual([
      "secrets/sensitive-config-value apps/falco/overrides.yaml:6:15 new",
      "image/mutable-tag apps/falco/overrides.yaml:3:8 new",
    ]);
  });

  it("is not judged so when no Application names it (a YAML file of another kind)", () => {
    expect(where(scanRepo({ "apps/falco/overrides.yaml": overrides("latest") }), "image/mutable-tag", "secrets/sensitive-config-value")).toEqual([]);
  });

  it("in a pull request that adds the Application and the file, or changes both", () => {
    const r = reviewRepo({}, repo);
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/falco/overrides.yaml:3:8 new"]);
    const pinned = { ...repo, "apps/falco/overrides.yaml": overrides("0.38.0") };
    const both = reviewRepo(pinned, { ...repo, "apps/falco-app.yaml": application.replace("4.2.0", "4.3.0") });
    expect(where(both, "image/mutable-tag")).toEqual(["image/mutable-tag apps/falco/overrides.yaml:3:8 new"]);
    // The fix: the pinned tag is no finding, and the mutable one is fixed.
    const fixed = reviewRepo({ ...repo, "apps/falco-app.yaml": application.replace("4.2.0", "4.3.0") }, { ...pinned, "apps/falco-app.yaml": application.replace("4.2.0", "4.4.0") });
    expect(where(fixed, "image/mutable-tag")).toEqual(["image/mutable-tag apps/falco/overrides.yaml:3:8 fixed"]);
  });

  it("in a pull request that changes only the values file, its Application unchanged in a file read for Argo CD objects (held-out round 13)", () => {
    const pinned = { ...repo, "apps/falco/overrides.yaml": overrides("0.38.0") };
    // `apps/falco-app.yaml` is directly in apps/: read on each side, so the values file it names is values there.
    expect(where(reviewRepo(pinned, repo), "image/mutable-tag")).toEqual(["image/mutable-tag apps/falco/overrides.yaml:3:8 new"]);
    expect(where(reviewRepo(repo, pinned), "image/mutable-tag")).toEqual(["image/mutable-tag apps/falco/overrides.yaml:3:8 fixed"]);
    // An Application in a file not read for Argo CD objects (`clusters/prod/platform/falco.yaml`: not in an Argo CD
    // directory, not named for Applications) is not known to a review that leaves it unchanged: the values file is
    // judged by its name, as before.
    const hidden = (files: Files): Files => ({ "clusters/prod/platform/falco.yaml": files["apps/falco-app.yaml"]!, "apps/falco/overrides.yaml": files["apps/falco/overrides.yaml"]! });
    expect(where(reviewRepo(hidden(pinned), hidden(repo)), "image/mutable-tag")).toEqual([]);
  });
});

describe("a values file an unchanged Application names from argocd-autopilot's layout (held-out round 21)", () => {
  const umami = (valueFiles: string): string =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: umami, namespace: argocd}",
      "spec:",
      "  project: apps",
      "  sources:",
      "    - repoURL: https://christianhuth.github.io/helm-charts",
      "      chart: umami",
      "      targetRevision: 7.11.5",
      "      helm:",
      `        valueFiles: [${valueFiles}]`,
      "    - {repoURL: https://github.com/p3l1/homelab.git, targetRevision: main, ref: values}",
      "  destination: {name: in-cluster, namespace: umami}",
    );
  const before = lines("umami:", "  database:", "    existingSecret: umami-db-app");
  const after = lines("umami:", "  database:", "    existingSecret: umami-db-app", '  appSecret: "k9Vq3xT7mZ2pL8wR4nY6bH1c"');
  const secrets = (base: Files, head: Files): string[] => where(reviewRepo(base, head), "secrets/sensitive-config-value");

  it("a file named for Applications near the values file (`apps/umami/base/application.yaml`): the literal appSecret is new at its line", () => {
    const repo = (values: string): Files => ({ "apps/umami/base/application.yaml": umami("$values/apps/umami/umami-overrides.yaml"), "apps/umami/umami-overrides.yaml": values });
    expect(secrets(repo(before), repo(after))).toEqual(["secrets/sensitive-config-value apps/umami/umami-overrides.yaml:4:14 new"]);
    // The same Application in a file named otherwise beside it is not read (no autopilot config): judged by its name.
    const named = (values: string): Files => ({ "apps/umami/base/umami.yaml": umami("$values/apps/umami/umami-overrides.yaml"), "apps/umami/umami-overrides.yaml": values });
    expect(secrets(named(before), named(after))).toEqual([]);
  });

  it("a values file relative to the chart's path in this repository, named by an Application beside it", () => {
    const app = lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: umami, namespace: argocd}",
      "spec:",
      "  project: apps",
      "  source:",
      "    repoURL: https://github.com/p3l1/homelab.git",
      "    targetRevision: main",
      "    path: apps/umami/chart",
      "    helm: {valueFiles: [prod.yaml]}",
      "  destination: {name: in-cluster, namespace: umami}",
    );
    const repo = (values: string): Files => ({ "apps/umami/base/app.yaml": app, "apps/umami/chart/Chart.yaml": lines("apiVersion: v2", "name: umami", "version: 1.0.0"), "apps/umami/chart/prod.yaml": values });
    expect(secrets(repo(before), repo(after))).toEqual(["secrets/sensitive-config-value apps/umami/chart/prod.yaml:4:14 new"]);
  });

  it("any YAML file of an autopilot app's base/ or overlays/<project>/ when the app has autopilot's config.json", () => {
    const repo = (values: string): Files => ({
      "apps/umami/base/umami.yaml": umami("$values/settings/umami.yaml"),
      "apps/umami/overlays/apps/config.json": '{"appName": "umami", "srcPath": "apps/umami/base"}\n',
      "settings/umami.yaml": values,
    });
    expect(secrets(repo(before), repo(after))).toEqual(["secrets/sensitive-config-value settings/umami.yaml:4:14 new"]);
    const overlay = (values: string): Files => {
      const { "apps/umami/base/umami.yaml": app, ...rest } = repo(values);
      return { ...rest, "apps/umami/overlays/apps/umami.yaml": app! };
    };
    expect(secrets(overlay(before), overlay(after))).toEqual(["secrets/sensitive-config-value settings/umami.yaml:4:14 new"]);
    // Without the config, `apps/<app>/base/` is an ordinary Kustomize layout: not read for Applications.
    const plain = (values: string): Files => {
      const { "apps/umami/overlays/apps/config.json": _config, ...rest } = repo(values);
      return rest;
    };
    expect(secrets(plain(before), plain(after))).toEqual([]);
  });
});

describe("a values file an ApplicationSet's template names", () => {
  it("is judged as Helm values for each Application its list generator makes (held-out round 11)", () => {
    const appset = lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ApplicationSet",
      "metadata: {name: prod-apps, namespace: argocd}",
      "spec:",
      "  generators:",
      "    - list:",
      "        elements:",
      "          - {app: kubescape, env: prod}",
      "  template:",
      "    metadata: {name: '{{app}}'}",
      "    spec:",
      "      project: platform",
      "      source:",
      "        repoURL: https://github.com/acme/apps.git",
      "        targetRevision: v1.0.0",
      "        path: 'apps/{{app}}'",
      "        helm:",
      "          valueFiles: ['env/{{env}}.yaml']",
      "      destination: {server: https://prod.example.com, namespace: '{{app}}'}",
    );
    const r = scanRepo({ "clusters/prod/apps.yaml": appset, "apps/kubescape/env/prod.yaml": overrides("latest"), "apps/kubescape/env/dev.yaml": overrides("latest") });
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/kubescape/env/prod.yaml:3:8 new"]);
  });
});

describe("a values file a ConfigMap generator embeds (files:), named values*.yaml", () => {
  it("gives one finding per credential: the rendered ConfigMap's stands for the Helm values reading of the same line (held-out round 16)", () => {
    const release = lines("apiVersion: helm.toolkit.fluxcd.io/v2beta1", "kind: HelmRelease", "metadata: {name: mysql}", "spec:", "  interval: 1h", "  chart: {spec: {chart: mysql, sourceRef: {kind: HelmRepository, name: bitnami}}}", "  valuesFrom:", "    - {kind: ConfigMap, name: mysql-values}");
    const repo: Files = {
      "base/helm-release.yaml": release,
      "base/kustomization.yaml": lines("resources:", "  - helm-release.yaml", "configMapGenerator:", "  - name: mysql-values", "    files:", "      - values.yaml=values.yaml"),
      "base/values.yaml": lines("auth:", '  rootPassword: "Zq8vR2kP9mXw"'),
      "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
    };
    const r = scanRepo(repo);
    expect(where(r, "secrets/sensitive-config-value")).toEqual(["secrets/sensitive-config-value base/values.yaml:2:3 new"]);
    expect(r.findings.find((f) => f.ruleId === "secrets/sensitive-config-value")!.message).toMatch(/^ConfigMap "mysql-values-/);
  });
});

describe("the Helm values a Kustomization gives its charts (held-out round 16)", () => {
  const kustomization = (values: string): string =>
    lines(
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "resources: [deployment.yaml]",
      "helmCharts:",
      "  - name: microservice",
      "    repo: oci://ghcr.io/acme/charts",
      "    version: 0.1.0",
      "    releaseName: microservice",
      values,
    );
  const deployment = lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: settings}", "data: {mode: prod}");
  const inline = kustomization(lines("    valuesInline:", "      image:", "        repository: ghcr.io/acme/microservice", '        tag: "latest"').trimEnd());

  it("`valuesInline` is judged as values at the tag's line, though the render judges the kustomization (its charts left out)", () => {
    const r = scanRepo({ "apps/ms/kustomization.yaml": inline, "apps/ms/deployment.yaml": deployment });
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/ms/kustomization.yaml:12:14 new"]);
    expect(only(r, "image/mutable-tag")[0]?.path).toBe("helmCharts[0].valuesInline.image.tag");
    // A pull request that pins it fixes it; one that leaves the chart as it is reports it existing.
    expect(where(reviewRepo({ "apps/ms/kustomization.yaml": inline, "apps/ms/deployment.yaml": deployment }, { "apps/ms/kustomization.yaml": inline.replace('"latest"', "1.2.3"), "apps/ms/deployment.yaml": deployment }), "image/mutable-tag")).toEqual([
      "image/mutable-tag apps/ms/kustomization.yaml:12:14 fixed",
    ]);
  });

  it("a file `valuesFile` or `additionalValuesFiles` names is judged as values whatever it is called, also when only the file changes", () => {
    const named = kustomization(lines("    valuesFile: prod-overrides.yaml", "    additionalValuesFiles: [../shared/extra.yaml]").trimEnd());
    const repo: Files = { "apps/ms/kustomization.yaml": named, "apps/ms/deployment.yaml": deployment, "apps/ms/prod-overrides.yaml": overrides("latest"), "apps/shared/extra.yaml": lines("sidecar:", "  image: {tag: latest}") };
    expect(where(scanRepo(repo), "image/mutable-tag", "secrets/sensitive-config-value")).toEqual([
      "secrets/sensitive-config-value apps/ms/prod-overrides.yaml:6:15 new",
      "image/mutable-tag apps/ms/prod-overrides.yaml:3:8 new",
      "image/mutable-tag apps/shared/extra.yaml:2:16 new",
    ]);
    // The kustomization beside the changed file, unchanged, still names it.
    const pinned = { ...repo, "apps/ms/prod-overrides.yaml": overrides("0.38.0") };
    expect(where(reviewRepo(pinned, repo), "image/mutable-tag")).toEqual(["image/mutable-tag apps/ms/prod-overrides.yaml:3:8 new"]);
  });
});

describe("an Application switched to an existing values file the pull request leaves as it is (held-out round 16)", () => {
  const register = (...files: string[]): string =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: register, namespace: argocd}",
      "spec:",
      "  project: apps",
      "  source:",
      "    repoURL: https://github.com/acme/gitops.git",
      "    targetRevision: v1.0.0",
      "    path: chart",
      "    helm:",
      `      valueFiles: [${files.map((f) => `../overrides/${f}`).join(", ")}]`,
      "  destination: {name: prod, namespace: register}",
    );
  const debug = lines("image:", "  repository: org/register", "  tag: latest", "env:", "  - name: MYSQL_PASSWORD", "    value: devpassword123");
  const tree = (app: string): Files => ({ "clusters/prod/register.yaml": app, "overrides/register.yaml": lines("image:", "  repository: org/register", "  tag: v9"), "overrides/debug.yaml": debug });
  const rules = ["image/mutable-tag", "secrets/sensitive-config-value"];

  it("judges the newly named file as values on the head: its tag is new, its password existing (committed on both sides)", () => {
    expect(where(reviewRepo(tree(register("register.yaml")), tree(register("debug.yaml"))), ...rules)).toEqual([
      "image/mutable-tag overrides/debug.yaml:3:8 new",
      "secrets/sensitive-config-value overrides/debug.yaml:6:12 existing",
    ]);
    // Switched back: the tag the base deployed is fixed; the password stays committed.
    expect(where(reviewRepo(tree(register("debug.yaml")), tree(register("register.yaml"))), ...rules)).toEqual([
      "secrets/sensitive-config-value overrides/debug.yaml:6:12 existing",
      "image/mutable-tag overrides/debug.yaml:3:8 fixed",
    ]);
    // A password only the head's file holds (the file is added with the switch) is new.
    const added = tree(register("register.yaml"));
    delete added["overrides/debug.yaml"];
    expect(where(reviewRepo(added, tree(register("debug.yaml"))), ...rules)).toEqual([
      "secrets/sensitive-config-value overrides/debug.yaml:6:12 new",
      "image/mutable-tag overrides/debug.yaml:3:8 new",
    ]);
  });

  it("is existing when another Application the review reads already named the file on the base; a file named on both sides is left alone", () => {
    const other = register("debug.yaml").replace("name: register,", "name: register-debug,");
    const withOther = (app: string): Files => ({ ...tree(app), "apps/register-debug.yaml": other });
    expect(where(reviewRepo(withOther(register("register.yaml")), withOther(register("debug.yaml"))), ...rules)).toEqual([
      "secrets/sensitive-config-value overrides/debug.yaml:6:12 existing",
      "image/mutable-tag overrides/debug.yaml:3:8 existing",
    ]);
    // An Application that keeps naming the file (its chart version bumped) deploys the same values before and after.
    expect(where(reviewRepo(tree(register("debug.yaml")), tree(register("debug.yaml").replace("v1.0.0", "v1.1.0"))), ...rules)).toEqual([]);
  });

  it("the same through a multi-source `$values/…` reference", () => {
    const falco = (file: string) => application.replace("$values/apps/falco/overrides.yaml", `$values/${file}`);
    const files = (app: string): Files => ({ "apps/falco-app.yaml": app, "envs/prod/falco.yaml": overrides("0.38.0"), "envs/debug/falco.yaml": overrides("latest").replace("Xk9vQ2mLp7Rt", "Dbg7Pw4Zq2Lm") });
    expect(where(reviewRepo(files(falco("envs/prod/falco.yaml")), files(falco("envs/debug/falco.yaml"))), ...rules)).toEqual([
      "image/mutable-tag envs/debug/falco.yaml:3:8 new",
      "secrets/sensitive-config-value envs/debug/falco.yaml:6:15 existing",
      "secrets/sensitive-config-value envs/prod/falco.yaml:6:15 existing",
    ]);
  });
});
