/** `scan DIR`, `review` in git mode and in directory mode all render Kustomize roots; `--no-render` does not. */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../src/cli/main.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += String(d)));
  stderr.on("data", (d) => (err += String(d)));
  const code = await main(args, { stdout, stderr, cwd, env: {} });
  return { code, stdout: out, stderr: err };
}

function write(root: string, files: Record<string, string>): string {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

const tmp = () => mkdtempSync(join(tmpdir(), "gg-kcli-"));

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });

/** A git repository with `files` on main and a `feature` branch that writes `change` on top. */
function branch(files: Record<string, string>, change: Record<string, string>): string {
  const repo = write(tmp(), files);
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "base");
  git(repo, "checkout", "-qb", "feature");
  write(repo, change);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "change");
  return repo;
}

const DEPLOYMENT = lines(
  "apiVersion: apps/v1", // 1
  "kind: Deployment", // 2
  "metadata: {name: web}", // 3
  "spec:", // 4
  "  selector: {matchLabels: {app: web}}", // 5
  "  template:", // 6
  "    metadata: {labels: {app: web}}", // 7
  "    spec:", // 8
  "      automountServiceAccountToken: false", // 9
  "      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}", // 10
  "      containers:", // 11
  "        - name: web", // 12
  "          image: ghcr.io/acme/web", // 13
  "          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}", // 14
  "          readinessProbe: {httpGet: {path: /healthz, port: 8080}}", // 15
  "          livenessProbe: {httpGet: {path: /healthz, port: 8080}}", // 16
  "          securityContext:", // 17
  "            allowPrivilegeEscalation: false", // 18
  "            readOnlyRootFilesystem: true", // 19
  "            capabilities: {drop: [ALL]}", // 20
);

const REPO = {
  "apps/web/base/deployment.yaml": DEPLOYMENT,
  "apps/web/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
  "apps/web/overlays/staging/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: staging", "images:", "  - name: ghcr.io/acme/web", "    newTag: 2.0.0-rc1"),
  "apps/web/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: prod", "images:", "  - name: ghcr.io/acme/web", "    newTag: 1.9.3"),
  "argocd/kustomization.yaml": lines("namespace: argocd", "configMapGenerator:", "  - name: argocd-cm", "    envs: [argocd-cm.env]", "    options: {disableNameSuffixHash: true}"),
  "argocd/argocd-cm.env": lines("url=https://argo.example.com", "users.anonymous.enabled=false"),
};

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  status: string;
  renderedFrom?: string[];
}

const found = (stdout: string, rule: string): string[] =>
  (JSON.parse(stdout) as { findings: JsonFinding[] }).findings
    .filter((f) => f.ruleId === rule)
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.status}${f.renderedFrom ? ` [${f.renderedFrom.join(", ")}]` : ""}`);

describe("gitops-guard scan DIR renders Kustomize roots", () => {
  it("judges what the overlays apply (the base's untagged image is pinned by both); --no-render judges each file", async () => {
    const dir = write(tmp(), REPO);
    const rendered = await cli(["scan", ".", "--format", "json"], dir);
    expect(found(rendered.stdout, "image/mutable-tag")).toEqual([]);
    const json = JSON.parse(rendered.stdout) as { notes: string[] };
    expect(json.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: apps/web/overlays/prod, apps/web/overlays/staging, argocd");

    const raw = await cli(["scan", ".", "--format", "json", "--no-render"], dir);
    expect(found(raw.stdout, "image/mutable-tag")).toEqual(["apps/web/base/deployment.yaml:13:18 new"]);
  });

  it("a .json manifest is judged on its own (as Argo CD's directory sources apply it) and through a kustomization that reads it", async () => {
    const secret = lines(
      "{", // 1
      '  "apiVersion": "v1",', // 2
      '  "kind": "Secret",', // 3
      '  "metadata": {"name": "db", "namespace": "app"},', // 4
      '  "stringData": {"DB_PASSWORD": "Xk9#mQ2vLp7zRt4w"}', // 5
      "}",
    );
    const loose = write(tmp(), { "apps/secret.json": secret, "dashboards/api.json": '{"title": "API", "panels": []}\n' });
    expect(found((await cli(["scan", ".", "--format", "json"], loose)).stdout, "secrets/plaintext-secret")).toEqual(["apps/secret.json:5:33 new"]);
    write(loose, { ".github/gitops-guard.yml": lines("paths:", '  exclude: ["apps/**"]') });
    expect(found((await cli(["scan", ".", "--format", "json"], loose)).stdout, "secrets/plaintext-secret")).toEqual([]);

    const read = write(tmp(), { "apps/secret.json": secret, "kustomization.yaml": lines("resources:", "  - apps/secret.json") });
    const out = (await cli(["scan", ".", "--format", "json"], read)).stdout;
    expect(found(out, "secrets/plaintext-secret")).toEqual(["apps/secret.json:5:33 new [.]"]);
    expect(out).not.toContain("Xk9#mQ2vLp7zRt4w");
  });
});

describe("waivers by resource on rendered objects", () => {
  it("a config waiver for the base's Deployment/web applies to what the overlays render (prod/prod-web, staging/web), and one for the rendered name too", async () => {
    const privileged = DEPLOYMENT.replace("allowPrivilegeEscalation: false", "privileged: true");
    const repo = {
      ...REPO,
      "apps/web/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: prod", "namePrefix: prod-", "images:", "  - name: ghcr.io/acme/web", "    newTag: 1.9.3"),
    };
    const config = (resource: string) =>
      lines("waivers:", "  - rule: k8s/privileged-container", `    resource: ${resource}`, "    reason: node agent, OPS-7", "    expires: 2099-01-01");
    const status = (stdout: string) =>
      (JSON.parse(stdout) as { findings: Array<JsonFinding & { suppressed: unknown }> }).findings
        .filter((f) => f.ruleId === "k8s/privileged-container")
        .map((f) => `${f.file}:${f.line} ${f.suppressed ? "suppressed" : "open"}`);

    const none = await cli(["scan", ".", "--format", "json"], write(tmp(), { ...repo, "apps/web/base/deployment.yaml": privileged }));
    expect(status(none.stdout)).toEqual(["apps/web/base/deployment.yaml:18 open"]);

    const byWritten = await cli(["scan", ".", "--format", "json"], write(tmp(), { ...repo, "apps/web/base/deployment.yaml": privileged, ".github/gitops-guard.yml": config("Deployment/web") }));
    expect(status(byWritten.stdout)).toEqual(["apps/web/base/deployment.yaml:18 suppressed"]);

    // The rendered name (prefix and namespace) matches only the overlay that renders it: the other one stays open.
    const byRendered = await cli(["scan", ".", "--format", "json"], write(tmp(), { ...repo, "apps/web/base/deployment.yaml": privileged, ".github/gitops-guard.yml": config("Deployment/prod/prod-web") }));
    expect(status(byRendered.stdout).sort()).toEqual(["apps/web/base/deployment.yaml:18 open", "apps/web/base/deployment.yaml:18 suppressed"]);
  });
});

describe("gitops-guard review renders both sides", () => {
  it("git mode: a branch that changes only a base file is judged through both overlays, at the base line", async () => {
    const repo = branch(REPO, { "apps/web/base/deployment.yaml": DEPLOYMENT.replace("allowPrivilegeEscalation: false", "privileged: true") });

    const r = await cli(["review", "--base", "main", "--head", "feature", "--format", "json"], repo);
    expect(r.code).toBe(1);
    expect(found(r.stdout, "k8s/privileged-container")).toEqual(["apps/web/base/deployment.yaml:18:25 new [apps/web/overlays/prod, apps/web/overlays/staging]"]);
  });

  it("git mode: a change to a generator's .env file (not YAML) reaches the root that reads it, found at the .env line", async () => {
    const repo = branch(REPO, { "argocd/argocd-cm.env": lines("url=https://argo.example.com", "users.anonymous.enabled=true") });

    const r = await cli(["review", "--base", "main", "--head", "feature", "--format", "json"], repo);
    expect(found(r.stdout, "argocd/anonymous-access")).toEqual(["argocd/argocd-cm.env:2:25 new [argocd]"]);
    const noRender = await cli(["review", "--base", "main", "--head", "feature", "--format", "json", "--no-render"], repo);
    expect(found(noRender.stdout, "argocd/anonymous-access")).toEqual([]);
  });

  it("git mode: a kustomization added over plain manifests reads the base side's manifests: their risky line stays existing", async () => {
    const plain = { "apps/api/deployment.yaml": DEPLOYMENT.replace("automountServiceAccountToken: false", "hostNetwork: true") };
    const repo = branch(plain, { "apps/api/kustomization.yaml": lines("resources:", "  - deployment.yaml", "images:", "  - name: ghcr.io/acme/web", "    newTag: 1.9.3") });

    const r = await cli(["review", "--base", "main", "--head", "feature", "--format", "json"], repo);
    expect(found(r.stdout, "k8s/host-namespaces")).toEqual(["apps/api/deployment.yaml:9:20 existing [apps/api]"]);
    expect(found(r.stdout, "image/mutable-tag")).toEqual(["apps/api/deployment.yaml:13:18 fixed [apps/api]"]);
    expect(r.code).toBe(0);
  });

  it("directory mode: the same, between two checkouts", async () => {
    const base = write(tmp(), REPO);
    const head = write(tmp(), { ...REPO, "argocd/argocd-cm.env": lines("url=https://argo.example.com", "users.anonymous.enabled=true") });
    const r = await cli(["review", "--base", base, "--head", head, "--format", "json"], tmp());
    expect(found(r.stdout, "argocd/anonymous-access")).toEqual(["argocd/argocd-cm.env:2:25 new [argocd]"]);
    // Nothing else is new: both sides render the same roots, so the overlays' findings are existing or absent.
    expect((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.status === "new").map((f) => f.ruleId)).toEqual(["argocd/anonymous-access"]);
  });
});

describe("git tree listing (git ls-tree -r -z)", () => {
  it("reads every file with its blob id from NUL-separated output, odd names included, without symbolic links", async () => {
    const { listGitTree, gitSides } = await import("../src/local/git-tree.js");
    const repo = write(tmp(), { "a b/kustomization.yaml": "resources: []\n", "odd\nname.yaml": "x: 1\n", "dir/tab\there.yaml": "y: 2\n" });
    execFileSync("ln", ["-s", "a b/kustomization.yaml", join(repo, "link.yaml")]);
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "one");
    const files = await listGitTree(repo, "main");
    expect([...files.keys()].sort()).toEqual(["a b/kustomization.yaml", "dir/tab\there.yaml", "odd\nname.yaml"]);
    expect(files.get("odd\nname.yaml")).toBe(git(repo, "rev-parse", "main:odd\nname.yaml").trim());

    git(repo, "checkout", "-qb", "feature");
    write(repo, { "odd\nname.yaml": "x: 2\n", "new.env": "A=1\n" });
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "two");
    const sides = await gitSides(repo, "main", "feature");
    expect(sides.changed.sort()).toEqual(["new.env", "odd\nname.yaml"]);
    expect(sides.base.has("new.env")).toBe(false);
  });
});
