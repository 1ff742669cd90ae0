/**
 * ApplicationSets decide which directories Argo CD applies (issue 11): `scan` and `review` judge a directory an
 * ApplicationSet's generators point at as applied — also when another overlay uses it as a base — and a pull request
 * that adds or removes a generator entry, an exclude, or a git files generator's config file makes its findings new or
 * fixed. One privileged container per layout is the marker: overlays turn it off, the directories themselves do not.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../../src/cli/main.js";

async function cli(args: string[], cwd: string, rule = "k8s/privileged-container"): Promise<string[]> {
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (d) => (out += String(d)));
  await main([...args, "--format", "json", "--no-ecr"], { stdout, stderr: new PassThrough(), cwd, env: {} });
  const findings = (JSON.parse(out) as { findings: Array<{ ruleId: string; file: string; line: number; status: string }> }).findings;
  return findings
    .filter((f) => f.ruleId === rule)
    .map((f) => `${f.status} ${f.file}:${f.line}`)
    .sort();
}

const deploy = (name: string, privileged = true) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: ${name}\n          image: registry.k8s.io/${name}:1.2.3\n          securityContext:\n            privileged: ${privileged}\n`;
/** The line of `privileged: true` in `deploy`. */
const PRIVILEGED = 16;
const unprivileged = (base: string, name: string) =>
  `resources:\n  - ${base}\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: ${name}\n      spec:\n        template:\n          spec:\n            containers:\n              - name: ${name}\n                securityContext:\n                  privileged: false\n`;
const kustomization = (...resources: string[]) => `resources:\n${resources.map((r) => `  - ${r}\n`).join("")}`;
const appSet = (spec: string, path: string, go = false) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: s\n  namespace: argocd\nspec:\n${go ? "  goTemplate: true\n" : ""}${spec}  template:\n    metadata:\n      name: x\n    spec:\n      project: default\n      source:\n        repoURL: https://github.com/acme/gitops.git\n        path: '${path}'\n      destination:\n        server: https://kubernetes.default.svc\n`;
const dirs = (...entries: string[]) =>
  `  generators:\n    - git:\n        repoURL: https://github.com/acme/gitops.git\n        directories:\n${entries.map((e) => `          - ${e}\n`).join("")}`;

const git = (cwd: string, ...args: string[]): void => {
  execFileSync("git", args, { cwd, stdio: "ignore", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
};

function write(root: string, files: Record<string, string | null>): void {
  for (const [p, content] of Object.entries(files)) {
    if (content === null) rmSync(join(root, p));
    else {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), content);
    }
  }
}

/** A repository with `files` on main and `change` on a `feature` branch; returns its directory. */
function repo(files: Record<string, string>, change: Record<string, string | null> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "gg-appset-"));
  write(dir, files);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "main");
  git(dir, "checkout", "-qb", "feature");
  write(dir, change);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "feature", "--allow-empty");
  git(dir, "checkout", "-q", "main");
  return dir;
}

const review = (dir: string) => cli(["review", "--repo", dir, "--base", "main", "--head", "feature"], dir);

// apps/* applies apps/common itself, and apps/web on top of it (which turns privileged off).
const DIRS = {
  "argocd/applicationset.yaml": appSet(dirs("path: apps/*"), "{{path}}"),
  "apps/common/deployment.yaml": deploy("web"),
  "apps/common/kustomization.yaml": kustomization("deployment.yaml"),
  "apps/web/kustomization.yaml": unprivileged("../common", "web"),
};

describe("a git directories generator", () => {
  it("applies a directory that is also another overlay's base: scan judges it as it is", async () => {
    expect(await cli(["scan", "."], repo(DIRS))).toEqual([`new apps/common/deployment.yaml:${PRIVILEGED}`]);
    // Excluded, it is applied only through apps/web.
    const excluded = { ...DIRS, "argocd/applicationset.yaml": appSet(dirs("path: apps/*", "path: apps/common\n            exclude: true"), "{{path}}") };
    expect(await cli(["scan", "."], repo(excluded))).toEqual([]);
  });

  it("an exclude a pull request adds fixes the directory's findings; one it removes makes them new", async () => {
    const exclude = appSet(dirs("path: apps/*", "path: apps/common\n            exclude: true"), "{{path}}");
    expect(await review(repo(DIRS, { "argocd/applicationset.yaml": exclude }))).toEqual([`fixed apps/common/deployment.yaml:${PRIVILEGED}`]);
    expect(await review(repo({ ...DIRS, "argocd/applicationset.yaml": exclude }, { "argocd/applicationset.yaml": DIRS["argocd/applicationset.yaml"] }))).toEqual([
      `new apps/common/deployment.yaml:${PRIVILEGED}`,
    ]);
  });

  it("a change to the directory is judged as applied though the ApplicationSet (named for it) is unchanged", async () => {
    expect(await review(repo(DIRS, { "apps/common/deployment.yaml": deploy("web", false) }))).toEqual([`fixed apps/common/deployment.yaml:${PRIVILEGED}`]);
    expect(await review(repo(DIRS, { "apps/common/kustomization.yaml": `${kustomization("deployment.yaml")}commonLabels:\n  team: a\n` }))).toEqual([
      `existing apps/common/deployment.yaml:${PRIVILEGED}`,
    ]);
  });

  it("goTemplate segments and a templatePatch that moves the source", async () => {
    const layout = {
      "argocd/appset.yaml":
        appSet(dirs("path: services/*"), "{{.path.path}}", true) + "  templatePatch: |\n    spec:\n      source:\n        path: '{{ .path.path }}/overlays/{{ index .path.segments 0 }}'\n",
      "services/pay/base/deployment.yaml": deploy("pay"),
      "services/pay/base/kustomization.yaml": kustomization("deployment.yaml"),
      "services/pay/overlays/services/kustomization.yaml": unprivileged("../../base", "pay"),
    };
    expect(await cli(["scan", "."], repo(layout))).toEqual([]);
    const toBase = layout["argocd/appset.yaml"].replace("/overlays/{{ index .path.segments 0 }}", "/base");
    expect(await review(repo(layout, { "argocd/appset.yaml": toBase }))).toEqual([`new services/pay/base/deployment.yaml:${PRIVILEGED}`]);
  });
});

describe("a git files generator", () => {
  const FILES = {
    "argocd/appset-envs.yaml": appSet("  generators:\n    - git:\n        repoURL: https://github.com/acme/gitops.git\n        files:\n          - path: envs/*/config.json\n", "apps/web/{{overlay}}"),
    "envs/dev/config.json": '{"overlay": "overlays/dev"}\n',
    "apps/web/base/deployment.yaml": deploy("web"),
    "apps/web/base/kustomization.yaml": kustomization("deployment.yaml"),
    "apps/web/overlays/dev/kustomization.yaml": unprivileged("../../base", "web"),
  };

  it("a config file a pull request adds points an Application at the base: its findings are new", async () => {
    expect(await cli(["scan", "."], repo(FILES))).toEqual([]);
    expect(await review(repo(FILES, { "envs/qa/config.json": '{"overlay": "base"}\n' }))).toEqual([`new apps/web/base/deployment.yaml:${PRIVILEGED}`]);
    expect(await review(repo({ ...FILES, "envs/qa/config.json": '{"overlay": "base"}\n' }, { "envs/qa/config.json": null }))).toEqual([`fixed apps/web/base/deployment.yaml:${PRIVILEGED}`]);
  });
});

describe("an app-of-apps", () => {
  it("an ApplicationSet in the directory an Application points at applies its list generator's paths", async () => {
    const layout = {
      "argocd/root.yaml":
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: root\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/acme/gitops.git\n    path: argocd/sets\n  destination:\n    server: https://kubernetes.default.svc\n",
      "argocd/sets/kustomization.yaml": kustomization("db.yaml"),
      // Not named for ApplicationSets: found through the render of the root Application's directory.
      "argocd/sets/db.yaml": appSet("  generators:\n    - list:\n        elements:\n          - env: base\n", "apps/db/{{env}}"),
      "apps/db/base/deployment.yaml": deploy("db"),
      "apps/db/base/kustomization.yaml": kustomization("deployment.yaml"),
      "apps/db/prod/kustomization.yaml": unprivileged("../base", "db"),
    };
    expect(await cli(["scan", "."], repo(layout))).toEqual([`new apps/db/base/deployment.yaml:${PRIVILEGED}`]);
    const toProd = layout["argocd/sets/db.yaml"].replace("env: base", "env: prod");
    expect(await review(repo(layout, { "argocd/sets/db.yaml": toProd }))).toEqual([`fixed apps/db/base/deployment.yaml:${PRIVILEGED}`]);
  });
});

describe("parameter-override files in a directory an ApplicationSet applies", () => {
  it("still stand for the generated Applications (Image Updater's write-back pins the image Argo CD deploys)", async () => {
    const layout = {
      "argocd/web-appset.yaml": appSet("  generators:\n    - list:\n        elements:\n          - env: prod\n", "apps/web"),
      "apps/web/deployment.yaml": deploy("web", false).replace("registry.k8s.io/web:1.2.3", "registry.k8s.io/web"),
      "apps/web/kustomization.yaml": kustomization("deployment.yaml"),
      "apps/web/.argocd-source-web-prod.yaml": "kustomize:\n  images:\n    - registry.k8s.io/web:1.2.3\n",
    };
    expect(await cli(["scan", "."], repo(layout), "image/mutable-tag")).toEqual([]);
  });
});

describe("an ApplicationSet the config excludes from review", () => {
  it("is left out on every side, so the render does not ask for files the adapter never read", async () => {
    const layout = {
      ".github/gitops-guard.yml": 'paths:\n  exclude: ["argocd/**"]\n',
      "argocd/appsets/web.yaml": appSet("  generators:\n    - list:\n        elements:\n          - env: prod\n", "apps/web"),
      "lib/common/deployment.yaml": deploy("web"),
      "lib/common/kustomization.yaml": kustomization("deployment.yaml"),
      "apps/web/kustomization.yaml": unprivileged("../../lib/common", "web"),
    };
    const dir = repo(layout, { "argocd/appsets/web.yaml": layout["argocd/appsets/web.yaml"].replace("apps/web", "lib/common") });
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (d) => (out += String(d)));
    await main(["review", "--repo", dir, "--base", "main", "--head", "feature", "--format", "json", "--no-ecr"], { stdout, stderr: new PassThrough(), cwd: dir, env: {} });
    expect((JSON.parse(out) as { notes: string[] }).notes.filter((n) => n.includes("was not rendered"))).toEqual([]);
  });
});

describe("kustomize overrides in an ApplicationSet's template (issue 11)", () => {
  // apps/web's image has no tag: every Application the set generates pins it (line 23 of the set: its images entry).
  const untagged = deploy("web", false).replace("registry.k8s.io/web:1.2.3", "registry.k8s.io/web");
  const withOverrides = (generators: string, block: string, name = "'{{path.basename}}'", path = "{{path}}") =>
    appSet(generators, path).replace("      name: x\n", `      name: ${name}\n`).replace("        path: ", "        targetRevision: main\n        path: ").replace("      destination:", `        kustomize:\n${block}      destination:`);
  const pin = (tag: string) => `          images:\n            - registry.k8s.io/web:${tag}\n`;
  const WEB = { "apps/web/deployment.yaml": untagged, "apps/web/kustomization.yaml": kustomization("deployment.yaml") };
  const IMAGE_LINE = 23;
  const mutable = (dir: string) => cli(["scan", "."], dir, "image/mutable-tag");

  it("an images pin in the template is what Argo CD applies: no finding on the untagged image; a risky pin is found at the template's line", async () => {
    const layout = { ...WEB, "argocd/appset.yaml": withOverrides(dirs("path: apps/*"), pin("1.4.2")) };
    expect(await mutable(repo(layout))).toEqual([]);
    // A pull request that changes only the template's override.
    const latest = repo(layout, { "argocd/appset.yaml": layout["argocd/appset.yaml"].replace("web:1.4.2", "web:latest") });
    expect(await cli(["review", "--repo", latest, "--base", "main", "--head", "feature"], latest, "image/mutable-tag")).toEqual([`new argocd/appset.yaml:${IMAGE_LINE}`]);
  });

  it("a list generator's per-element tags give one render each; a patch in the template that makes the container privileged is found at its line", async () => {
    const list = "  generators:\n    - list:\n        elements:\n          - {env: staging, tag: latest}\n          - {env: prod, tag: 1.4.2}\n";
    const layout = { ...WEB, "argocd/appset.yaml": withOverrides(list, "          images:\n            - 'registry.k8s.io/web:{{tag}}'\n", "'web-{{env}}'", "apps/web") };
    // Line 10: the staging element that writes `tag: latest` (the template's line fills it in).
    expect(await mutable(repo(layout))).toEqual(["new argocd/appset.yaml:10"]);
    const patch =
      pin("1.4.2") +
      "          patches:\n            - target: {kind: Deployment}\n              patch: |-\n                - op: replace\n                  path: /spec/template/spec/containers/0/securityContext/privileged\n                  value: true\n";
    const privileged = repo({ ...WEB, "argocd/appset.yaml": withOverrides(dirs("path: apps/*"), patch) });
    // Line 29: `value: true` inside the template's inline patch.
    expect(await cli(["scan", "."], privileged)).toEqual(["new argocd/appset.yaml:29"]);
  });

  it("overrides that do not resolve (a clusters generator's labels) are not guessed: the directory is judged as it is", async () => {
    const matrix = "  generators:\n    - matrix:\n        generators:\n          - clusters: {}\n          - git:\n              repoURL: https://github.com/acme/gitops.git\n              directories:\n                - path: apps/*\n";
    const unknown = withOverrides(matrix, "          images:\n            - 'registry.k8s.io/web:{{metadata.labels.tag}}'\n", "'{{name}}-{{path.basename}}'");
    expect(await mutable(repo({ ...WEB, "argocd/appset.yaml": unknown }))).toEqual(["new apps/web/deployment.yaml:14"]);
    // A literal pin with the clusters' parameters unknown is still every generated Application's.
    expect(await mutable(repo({ ...WEB, "argocd/appset.yaml": withOverrides(matrix, pin("1.4.2"), "'{{name}}-{{path.basename}}'") }))).toEqual([]);
  });

  it("an ApplicationSet met only in a render (app-of-apps): a source with overrides does not make its base judged plainly", async () => {
    const root =
      "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: root\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/acme/gitops.git\n    path: argocd/sets\n  destination:\n    server: https://kubernetes.default.svc\n";
    const list = "  generators:\n    - list:\n        elements:\n          - env: prod\n";
    const layout = {
      "argocd/root.yaml": root,
      "argocd/sets/kustomization.yaml": kustomization("web.yaml"),
      // Not named for ApplicationSets: seen only in the render of argocd/sets.
      "argocd/sets/web.yaml": withOverrides(list, pin("1.4.2"), "'web-{{env}}'", "apps/web/base"),
      "apps/web/base/deployment.yaml": untagged,
      "apps/web/base/kustomization.yaml": kustomization("deployment.yaml"),
      "apps/web/overlay/kustomization.yaml": `${kustomization("../base")}images:\n  - name: registry.k8s.io/web\n    newTag: 2.0.0\n`,
    };
    const dir = repo(layout, { "argocd/sets/kustomization.yaml": `# sets\n${layout["argocd/sets/kustomization.yaml"]}`, "apps/web/base/deployment.yaml": untagged.replace("labels: {app: web}", "labels: {app: web, t: x}") });
    expect(await cli(["review", "--repo", dir, "--base", "main", "--head", "feature"], dir, "image/mutable-tag")).toEqual([]);
  });

  it("another ApplicationSet applying the directory without overrides keeps its plain render judged", async () => {
    const layout = { ...WEB, "argocd/appset.yaml": withOverrides(dirs("path: apps/*"), pin("1.4.2")), "argocd/appset-plain.yaml": appSet(dirs("path: apps/*"), "{{path}}") };
    expect(await mutable(repo(layout))).toEqual(["new apps/web/deployment.yaml:14"]);
  });
});

describe("an unchanged ApplicationSet whose file's name does not say so (held-out round 12)", () => {
  it("in argocd/services.yaml, is read on both sides: deleting an overlay its git directories generator lists is argocd/app-deleted", async () => {
    const set = appSet(dirs("path: services/*/k8s/overlays/*"), "{{path}}").replace("      name: x\n", "      name: '{{path.basenameNormalized}}'\n");
    const overlay = (env: string) => ({
      [`services/click/k8s/overlays/${env}/kustomization.yaml`]: kustomization("cm.yaml"),
      [`services/click/k8s/overlays/${env}/cm.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: click-${env}\n`,
    });
    const layout = { "argocd/services.yaml": set, ...overlay("staging"), ...overlay("prod") };
    const gone = Object.fromEntries(Object.keys(overlay("staging")).map((p) => [p, null]));
    expect(await cli(["review", "--repo", repo(layout, gone), "--base", "main", "--head", "feature"], tmpdir(), "argocd/app-deleted")).toEqual(["new argocd/services.yaml:8"]);
  });
});
