/**
 * `argocd/app-deleted` for an ApplicationSet the pull request leaves as it is (held-out round 8): its git directories
 * generator makes one Application per overlay, so deleting or renaming an overlay directory makes the controller delete
 * that Application — and with the resources finalizer every resource it manages (a prod outage for a rename).
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, type Files } from "./kustomize-helpers.js";

const appset = (extra: string[] = []): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: ApplicationSet",
    "metadata: {name: web, namespace: argocd}",
    "spec:",
    "  goTemplate: true",
    "  generators:",
    "    - git:",
    "        repoURL: https://github.com/example/gitops.git",
    "        revision: main",
    "        directories:",
    "          - path: apps/web/overlays/*",
    "  template:",
    "    metadata: {name: 'web-{{.path.basename}}'}",
    "    spec:",
    "      project: web",
    "      source: {repoURL: https://github.com/example/gitops.git, targetRevision: main, path: '{{.path.path}}'}",
    "      destination: {name: prod-cluster, namespace: 'web-{{.path.basename}}'}",
    ...extra,
  );
const overlay = (name: string): Files => ({
  [`apps/web/overlays/${name}/kustomization.yaml`]: lines("resources: [../../base, namespace.yaml]"),
  [`apps/web/overlays/${name}/namespace.yaml`]: lines("apiVersion: v1", "kind: Namespace", `metadata: {name: web-${name}}`),
});
const main: Files = {
  "argocd/web-appset.yaml": appset(),
  "apps/web/base/kustomization.yaml": lines("resources: [cm.yaml]"),
  "apps/web/base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}"),
  ...overlay("staging"),
  ...overlay("prod"),
};
const without = (files: Files, dir: string): Files => Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith(`${dir}/`)));
const deleted = (r: ReturnType<typeof reviewRepo>) => r.findings.filter((f) => f.ruleId === "argocd/app-deleted").map((f) => [`${f.file}:${f.line}`, f.status, f.message]);

describe("argocd/app-deleted: an unchanged ApplicationSet's git directories generator", () => {
  it("reports the Application a deleted overlay directory no longer makes, at the generator", () => {
    expect(deleted(reviewRepo(main, without(main, "apps/web/overlays/staging")))).toEqual([
      [
        "argocd/web-appset.yaml:7",
        "new",
        'ApplicationSet "web" no longer generates Application "web-staging" (its git generator no longer finds the directory "apps/web/overlays/staging", which this change deletes or renames): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.',
      ],
    ]);
  });

  it("says a renamed overlay's Application is generated again under its new name", () => {
    const renamed = { ...without(main, "apps/web/overlays/prod"), ...overlay("production") };
    expect(deleted(reviewRepo(main, renamed)).map(([, , m]) => m)).toEqual([
      'ApplicationSet "web" no longer generates Application "web-prod" (its git generator no longer finds the directory "apps/web/overlays/prod", which this change deletes or renames; it generates "web-production" instead): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.',
    ]);
  });

  it("reports an overlay a changed ApplicationSet's new `exclude: true` entry leaves out, at the generator", () => {
    const excluding = { ...main, "argocd/web-appset.yaml": appset().replace("          - path: apps/web/overlays/*\n", "          - path: apps/web/overlays/*\n          - {path: apps/web/overlays/staging, exclude: true}\n") };
    expect(deleted(reviewRepo(main, excluding)).map(([at, status, message]) => [`${at} ${status}`, message])).toEqual([
      [
        "argocd/web-appset.yaml:7 new",
        'ApplicationSet "web" no longer generates Application "web-staging" (its git generator no longer matches the directory "apps/web/overlays/staging", which is still there: the generator\'s entries leave it out now): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.',
      ],
    ]);
  });

  it("in a matrix of git directories × clusters list, names the deleted directory at the matrix, not an unchanged list element", () => {
    const matrix = appset()
      .replace(
        "    - git:\n        repoURL: https://github.com/example/gitops.git\n        revision: main\n        directories:\n          - path: apps/web/overlays/*\n",
        "    - matrix:\n        generators:\n          - git:\n              repoURL: https://github.com/example/gitops.git\n              revision: main\n              directories:\n                - path: apps/web/overlays/*\n          - list:\n              elements:\n                - cluster: east\n                - cluster: west\n",
      )
      .replace("name: 'web-{{.path.basename}}'", "name: 'web-{{.path.basename}}-{{.cluster}}'");
    const withMatrix = { ...main, "argocd/web-appset.yaml": matrix };
    const found = deleted(reviewRepo(withMatrix, without(withMatrix, "apps/web/overlays/staging")));
    expect(found.map(([at]) => at)).toEqual(["argocd/web-appset.yaml:7", "argocd/web-appset.yaml:7"]);
    expect(found.map(([, , m]) => m)).toEqual(
      ["web-staging-east", "web-staging-west"].map(
        (n) => `ApplicationSet "web" no longer generates Application "${n}" (its git generator no longer finds the directory "apps/web/overlays/staging", which this change deletes or renames): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.`,
      ),
    );
  });

  it("says which config file a git files generator no longer makes an Application from", () => {
    const files = appset()
      .replace("        directories:\n          - path: apps/web/overlays/*\n", "        files:\n          - path: apps/web/overlays/*/config.json\n")
      .replace("name: 'web-{{.path.basename}}'", "name: 'web-{{.name}}'");
    const withFiles = { ...main, "argocd/web-appset.yaml": files, "apps/web/overlays/prod/config.json": '{"name": "prod"}\n', "apps/web/overlays/staging/config.json": '{"name": "staging"}\n' };
    const renamed = deleted(reviewRepo(withFiles, { ...withFiles, "apps/web/overlays/prod/config.json": '{"name": "production"}\n' }));
    expect(renamed.map(([, , m]) => m)).toEqual([
      'ApplicationSet "web" no longer generates Application "web-prod" (the config file "apps/web/overlays/prod/config.json" its git generator reads no longer makes it; it generates "web-production" instead): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.',
    ]);
    const { ["apps/web/overlays/staging/config.json"]: _gone, ...withoutConfig } = withFiles;
    expect(deleted(reviewRepo(withFiles, withoutConfig)).map(([, , m]) => m)).toEqual([
      'ApplicationSet "web" no longer generates Application "web-staging" (the config file "apps/web/overlays/staging/config.json" its git generator read is deleted or renamed by this change): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.',
    ]);
  });

  it("names each replacement once when the changed config file is YAML (the changed file was listed twice)", () => {
    const files = appset()
      .replace("        directories:\n          - path: apps/web/overlays/*\n", "        files:\n          - path: apps/web/overlays/*/config.yaml\n")
      .replace("name: 'web-{{.path.basename}}'", "name: 'web-{{.name}}'");
    const withFiles = { ...main, "argocd/web-appset.yaml": files, "apps/web/overlays/prod/config.yaml": "name: prod\n", "apps/web/overlays/staging/config.yaml": "name: staging\n" };
    const renamed = deleted(reviewRepo(withFiles, { ...withFiles, "apps/web/overlays/prod/config.yaml": "name: production\n" }));
    expect(renamed.map(([, , m]) => m)).toEqual([
      'ApplicationSet "web" no longer generates Application "web-prod" (the config file "apps/web/overlays/prod/config.yaml" its git generator reads no longer makes it; it generates "web-production" instead): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.',
    ]);
  });

  it("says nothing when the set preserves resources, or when an overlay is only added or changed", () => {
    const preserving = { ...main, "argocd/web-appset.yaml": appset(["  syncPolicy: {preserveResourcesOnDeletion: true}"]) };
    expect(deleted(reviewRepo(preserving, without(preserving, "apps/web/overlays/staging")))).toEqual([]);
    expect(deleted(reviewRepo(main, { ...main, ...overlay("qa") }))).toEqual([]);
    expect(deleted(reviewRepo(main, { ...main, "apps/web/overlays/prod/namespace.yaml": lines("apiVersion: v1", "kind: Namespace", "metadata: {name: web-prod, labels: {a: b}}") }))).toEqual([]);
  });
});

describe("argocd/app-deleted: argocd-autopilot's projects/<env>.yaml (held-out round 9)", () => {
  const project = lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: ApplicationSet",
    "metadata: {name: dev, namespace: argocd}",
    "spec:",
    "  generators:",
    "  - git:",
    "      repoURL: https://github.com/acme/gitops.git",
    "      files:",
    "      - path: apps/**/dev/config.json",
    "  template:",
    "    metadata: {name: 'dev-{{ userGivenName }}'}",
    "    spec:",
    "      project: default",
    "      source: {repoURL: '{{ srcRepoURL }}', path: '{{ srcPath }}'}",
    "      destination: {server: https://kubernetes.default.svc, namespace: '{{ destNamespace }}'}",
  );
  const repo: Files = {
    "projects/dev.yaml": project,
    "apps/web/overlays/dev/config.json": '{"userGivenName": "web", "srcRepoURL": "https://github.com/acme/gitops.git", "srcPath": "apps/web/overlays/dev", "destNamespace": "web"}\n',
    "apps/web/overlays/dev/kustomization.yaml": lines("resources: [cm.yaml]"),
    "apps/web/overlays/dev/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}"),
  };

  it("reads the unchanged project file on both sides: a deleted config.json is the Application its set deletes", () => {
    const { ["apps/web/overlays/dev/config.json"]: _gone, ...head } = repo;
    expect(deleted(reviewRepo(repo, head)).map(([at, status]) => `${at} ${status}`)).toEqual(["projects/dev.yaml:6 new"]);
  });
});

describe("argocd/app-deleted: an ApplicationSet kept in an Argo CD directory's apps.yaml (held-out round 11)", () => {
  const services: Files = {
    "services/web/kustomization.yaml": lines("resources: [ns.yaml]"),
    "services/web/ns.yaml": lines("apiVersion: v1", "kind: Namespace", "metadata: {name: web}"),
    "services/ingress-nginx/kustomization.yaml": lines("resources: [ns.yaml]"),
    "services/ingress-nginx/ns.yaml": lines("apiVersion: v1", "kind: Namespace", "metadata: {name: ingress-nginx}"),
  };
  const without = (files: Files, dir: string): Files => Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith(`${dir}/`)));
  const setIn = (path: string): Files => ({ [path]: appset().replaceAll("apps/web/overlays/*", "services/*"), ...services });

  it("reads an unchanged argo-cd/**/apps.yaml or argocd/applications.yaml on both sides: a deleted directory is the Application its set deletes", () => {
    for (const path of ["production/argo-cd/resources/apps.yaml", "argocd/applications.yml"]) {
      const repo = setIn(path);
      expect(deleted(reviewRepo(repo, without(repo, "services/ingress-nginx"))).map(([at, status]) => `${at} ${status}`)).toEqual([`${path}:7 new`]);
    }
    // A file so named outside an Argo CD directory is not read unless the pull request changes it.
    const elsewhere = setIn("clusters/prod/apps.yaml");
    expect(deleted(reviewRepo(elsewhere, without(elsewhere, "services/ingress-nginx")))).toEqual([]);
  });
});

describe("argocd/app-deleted: an ApplicationSet in an Argo CD directory, whatever its file's name (held-out round 12)", () => {
  // argocd/services.yaml: a git directories generator over services/*/k8s/overlays/*, one Application per overlay.
  const services = lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: ApplicationSet",
    "metadata: {name: services, namespace: argocd}",
    "spec:",
    "  goTemplate: true",
    "  generators:",
    "  - git:",
    "      repoURL: https://github.com/acme/web-services.git",
    "      revision: main",
    "      directories:",
    "      - path: services/*/k8s/overlays/*",
    "  template:",
    "    metadata: {name: '{{index .path.segments 1}}-{{.path.basename}}'}",
    "    spec:",
    "      project: web",
    "      source: {repoURL: https://github.com/acme/web-services.git, targetRevision: main, path: '{{.path.path}}'}",
    "      destination: {name: '{{.path.basename}}', namespace: 'web-{{.path.basename}}'}",
  );
  const overlay = (env: string): Files => ({
    [`services/click/k8s/overlays/${env}/kustomization.yaml`]: lines("resources: [cm.yaml]"),
    [`services/click/k8s/overlays/${env}/cm.yaml`]: lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: click-${env}}`, "data: {a: b}"),
  });
  const repoWith = (path: string): Files => ({ [path]: services, ...overlay("staging"), ...overlay("prod") });
  const without = (files: Files, dir: string): Files => Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith(`${dir}/`)));

  it("reads an unchanged argocd/services.yaml on both sides: the deleted overlay is the Application its set deletes", () => {
    const repo = repoWith("argocd/services.yaml");
    expect(deleted(reviewRepo(repo, without(repo, "services/click/k8s/overlays/staging")))).toEqual([
      [
        "argocd/services.yaml:7",
        "new",
        'ApplicationSet "services" no longer generates Application "click-staging" (its git generator no longer finds the directory "services/click/k8s/overlays/staging", which this change deletes or renames): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.',
      ],
    ]);
  });

  it("does so in each Argo CD directory (argo-cd/, argo/, bootstrap/, nested), and for a renamed overlay", () => {
    for (const path of ["deploy/argo-cd/services.yml", "argo/platform.yaml", "bootstrap/services.yaml", "ArgoCD/bootstrap/management/generator.yaml"]) {
      const repo = repoWith(path);
      const renamed = { ...without(repo, "services/click/k8s/overlays/prod"), ...overlay("production") };
      expect(deleted(reviewRepo(repo, renamed)).map(([at, status]) => `${at} ${status}`)).toEqual([`${path}:7 new`]);
    }
  });

  it("does not read such a file outside those directories, nor past the cap of 300 files by path (a note names them)", () => {
    const elsewhere = repoWith("clusters/prod/services.yaml");
    expect(deleted(reviewRepo(elsewhere, without(elsewhere, "services/click/k8s/overlays/staging")))).toEqual([]);
    // 300 files sort before argocd/platform.yaml, which shares no word with the deleted overlay: it is left out.
    const crowded: Files = { ...repoWith("argocd/platform.yaml") };
    for (let i = 0; i < 301; i++) crowded[`argocd/a-${String(i).padStart(3, "0")}.yaml`] = lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: a-${i}}`);
    const r = reviewRepo(crowded, without(crowded, "services/click/k8s/overlays/staging"));
    expect(deleted(r)).toEqual([]);
    expect(r.notes).toContain(
      "Argo CD: 2 YAML files in Argo CD directories were not read for Applications or ApplicationSets (at most 300 are read: those sharing a name with a directory the pull request removes first, then by path): argocd/a-300.yaml, argocd/platform.yaml; an unchanged Application or ApplicationSet there is not seen",
    );
  });

  it("reads first, past the cap, a file whose path shares a word with the directory the pull request deletes", () => {
    // argocd/services.yaml sorts after 301 files, but `services` is a word of services/click/k8s/overlays/staging.
    const crowded: Files = { ...repoWith("argocd/services.yaml") };
    for (let i = 0; i < 301; i++) crowded[`argocd/a-${String(i).padStart(3, "0")}.yaml`] = lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: a-${i}}`);
    const r = reviewRepo(crowded, without(crowded, "services/click/k8s/overlays/staging"));
    expect(deleted(r).map(([at, status]) => `${at} ${status}`)).toEqual(["argocd/services.yaml:7 new"]);
    expect(r.notes.find((n) => n.startsWith("Argo CD: 2 YAML files"))).toContain(": argocd/a-299.yaml, argocd/a-300.yaml;");
  });
});

describe("argocd/app-deleted: a directory renamed under a matrix of clusters and git directories (held-out round 18)", () => {
  const matrix = (): string =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ApplicationSet",
      "metadata: {name: base-apps, namespace: argocd}",
      "spec:",
      "  goTemplate: true",
      "  generators:",
      "    - matrix:",
      "        generators:",
      "          - list: {elements: [{cluster: c1}, {cluster: c2}, {cluster: c3}]}",
      "          - git:",
      "              repoURL: https://github.com/example/gitops.git",
      "              revision: main",
      "              directories:",
      "                - path: apps/base/*",
      "  template:",
      "    metadata: {name: '{{.cluster}}-{{.path.basename}}'}",
      "    spec:",
      "      project: web",
      "      source: {repoURL: https://github.com/example/gitops.git, targetRevision: main, path: '{{.path.path}}'}",
      "      destination: {name: '{{.cluster}}', namespace: '{{.path.basename}}'}",
    );
  const app = (name: string): Files => ({ [`apps/base/${name}/cm.yaml`]: lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: ${name}}`, "data: {a: b}") });
  const tree: Files = { "argocd/base-appset.yaml": matrix(), ...app("ingress"), ...app("logging") };

  it("each lost Application names only its own cluster's replacement", () => {
    const renamed = { ...without(tree, "apps/base/logging"), ...app("log-collector") };
    const messages = deleted(reviewRepo(tree, renamed)).map(([, , m]) => m as string);
    expect(messages.map((m) => /Application "([^"]+)" \(.*it generates (.*) instead\)/.exec(m)?.slice(1))).toEqual([
      ["c1-logging", '"c1-log-collector"'],
      ["c2-logging", '"c2-log-collector"'],
      ["c3-logging", '"c3-log-collector"'],
    ]);
  });

  it("two directories renamed at once: which replaces which is not known, every new name is listed", () => {
    const renamed = { ...without(without(tree, "apps/base/logging"), "apps/base/ingress"), ...app("log-collector"), ...app("gateway") };
    const messages = deleted(reviewRepo(tree, renamed)).map(([, , m]) => m as string);
    expect(messages).toHaveLength(6);
    for (const m of messages) expect(m).toContain('it generates "c1-gateway", "c1-log-collector", "c2-gateway", "c2-log-collector", "c3-gateway", "c3-log-collector" instead');
  });
});
