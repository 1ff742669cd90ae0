/**
 * End to end: the GitHub App gives the CLI's answer on ApplicationSet layouts in a real git repository (issue 11) —
 * a git directories generator whose target is also another overlay's base, a git files generator whose config files
 * pick the overlay, and an app-of-apps whose Application points at a directory of ApplicationSets. Each `pr-*` branch
 * is reviewed by the real server and compared with `gitops-guard review --format json` (findings, lines, statuses,
 * messages, fingerprints, conclusion), within the request budget. Needs the build (`bin/gitops-guard.js` runs dist/).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { rmSync } from "node:fs";
import { gitPrs, scratchRepo, type ScratchRepo } from "./git-pr.js";
import { startParityRig, type ParityRig, type ParityRow } from "./parity.js";

const deploy = (name: string, privileged: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: registry.k8s.io/${name}:1.2.3
          securityContext:
            privileged: ${privileged}
`;

const unprivileged = (base: string, name: string) =>
  `resources:\n  - ${base}\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: ${name}\n      spec:\n        template:\n          spec:\n            containers:\n              - name: ${name}\n                securityContext:\n                  privileged: false\n`;

// repoURL: the repository the layout is in (the fake GitHub names it layouts/appsets; the CLI is told the same).
const appSet = (name: string, generators: string, path: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  generators:\n${generators}  template:\n    metadata:\n      name: '${name}-{{path.basename}}'\n    spec:\n      project: default\n      source:\n        repoURL: https://github.com/layouts/appsets.git\n        path: '${path}'\n      destination:\n        server: https://kubernetes.default.svc\n        namespace: apps\n`;

const dirs = (exclude: boolean) =>
  `    - git:\n        repoURL: https://github.com/layouts/appsets.git\n        directories:\n          - path: apps/*\n${exclude ? "          - path: apps/common\n            exclude: true\n" : ""}`;
const files = "    - git:\n        repoURL: https://github.com/layouts/appsets.git\n        files:\n          - path: envs/*/config.json\n";

let dir: string;
let rig: ParityRig;

let repo: ScratchRepo;
const git = (...args: string[]): void => repo.git(...args);
const write = (files: Record<string, string>): void => repo.write(files);
const branch = (name: string, change: () => void): void => repo.branch(name, change);

beforeAll(async () => {
  repo = scratchRepo("gitops-guard-parity-appset-");
  dir = repo.dir;
  write({
    ".github/gitops-guard.yml": "failOn: high\n",
    // apps/* applies apps/common itself, and apps/web on top of it (which turns privileged off).
    "argocd/applicationsets/apps.yaml": appSet("apps", dirs(false), "{{path}}"),
    "apps/common/deployment.yaml": deploy("web", true),
    "apps/common/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "apps/web/kustomization.yaml": unprivileged("../common", "web"),
    // Each envs/<env>/config.json picks the api overlay Argo CD applies.
    "argocd/applicationsets/api.yaml": appSet("api", files, "services/api/{{overlay}}"),
    "envs/dev/config.json": '{"overlay": "overlays/dev"}\n',
    "services/api/base/deployment.yaml": deploy("api", true),
    "services/api/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "services/api/overlays/dev/kustomization.yaml": unprivileged("../../base", "api"),
    // The template pins the untagged image of every directory under pinned/ (its kustomize overrides).
    "argocd/applicationsets/pinned.yaml": pinned("1.2.3"),
    "pinned/db/deployment.yaml": deploy("db", false).replace("registry.k8s.io/db:1.2.3", "registry.k8s.io/db"),
    "pinned/db/kustomization.yaml": "resources:\n  - deployment.yaml\n",
  });
  git("add", "-A");
  git("commit", "-q", "-m", "main");
  // An exclude entry: apps/common is no longer applied on its own (its privileged container is fixed, and the
  // Application the set made for it is deleted).
  branch("pr-exclude-common", () => write({ "argocd/applicationsets/apps.yaml": appSet("apps", dirs(true), "{{path}}") }));
  // A change to a directory the unchanged ApplicationSet applies: judged as applied, not only through apps/web.
  branch("pr-common-sidecar", () => write({ "apps/common/deployment.yaml": deploy("web", true).replace("securityContext:\n            privileged: true\n", "securityContext:\n            privileged: true\n        - name: sidecar\n          image: registry.k8s.io/side:1.0.0\n") }));
  // Only the template's override changes: every Application it generates now deploys a mutable tag.
  branch("pr-pinned-latest", () => write({ "argocd/applicationsets/pinned.yaml": pinned("latest") }));
  // Only a config file changes: the files generator now points an Application at the base.
  branch("pr-qa-on-base", () => write({ "envs/qa/config.json": '{"overlay": "base"}\n' }));
  // An Application of another repository pointing at a path this repository also has (a base whose privileged
  // container only its overlay turns off): not applied from here, on either side.
  branch("pr-foreign-app", () =>
    write({
      "argocd/payments.yaml":
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: payments\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: git@github.com:acme/payments.git\n    path: services/api/base\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: payments\n",
    }),
  );
  rig = await startParityRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pinned = (tag: string) =>
  appSet("pinned", "    - git:\n        repoURL: https://github.com/layouts/appsets.git\n        directories:\n          - path: pinned/*\n", "{{path}}").replace(
    "      destination:",
    `        kustomize:\n          images:\n            - registry.k8s.io/db:${tag}\n      destination:`,
  );

describe("the App answers as the CLI does on ApplicationSet layouts in git", () => {
  it("for every pull request: findings, statuses, messages, fingerprints, conclusion, within the request budget", async () => {
    const prs = gitPrs(dir);
    expect(prs.map((p) => p.branch).sort()).toEqual(["pr-common-sidecar", "pr-exclude-common", "pr-foreign-app", "pr-pinned-latest", "pr-qa-on-base"]);
    const rows: ParityRow[] = [];
    for (const [i, pr] of prs.entries()) rows.push(await rig.compare(pr, "appsets", i + 1));
    expect(rows.map((r) => ({ branch: r.branch, diffs: r.diffs }))).toEqual(rows.map((r) => ({ branch: r.branch, diffs: [] })));
    const by = (b: string) => rows.find((r) => r.branch === b)!;
    // The base a config file newly points at is applied as it is: its privileged container is new.
    expect(by("pr-qa-on-base").conclusion).toEqual({ app: "failure", cli: "failure" });
    // The new exclude entry stops the set generating the Application for apps/common: the controller deletes it, and
    // with the finalizer every set-made Application carries, what it deployed (`argocd/app-deleted`, high, new).
    expect(by("pr-exclude-common").conclusion).toEqual({ app: "failure", cli: "failure" });
    // Another repository's services/api/base is not this one's: its privileged container stays unapplied.
    expect(by("pr-foreign-app").conclusion).toEqual({ app: "success", cli: "success" });
    // The override's new tag is a finding of its own (at the template's line, see cli-applicationset.test.ts); the
    // App agrees only when it fetched pinned/db, which the pull request does not touch.
    expect(by("pr-pinned-latest").cliFindings).toBeGreaterThan(0);
  }, 120_000);
});
