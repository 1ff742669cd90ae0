import { describe, expect, it } from "@jest/globals";
import { ConfigError, parseConfig } from "../../src/core/config.js";
import { Policy } from "../../src/core/policy.js";
import { isBlocking, review, scan, type FileChange } from "../../src/core/review.js";
import { defineRule, type RuleSettings } from "../../src/core/rule.js";
import { checkRunOutput } from "../../src/report/check-run-output.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { parseYamlFile } from "../../src/parse/yaml-file.js";
import { PRIVILEGED_POD, withLinesAbove } from "./fixtures.js";

const now = new Date("2026-11-22T00:00:00Z");
const cfg = (raw: unknown = {}) => parseConfig(raw, RULE_IDS);
// One real rule plus the engine's own, so conclusions depend only on what each test sets up.
const RULES = ALL_RULES.filter((r) => r.meta.id === "k8s/privileged-container" || r.meta.id.startsWith("guard/"));
const run = (changes: FileChange[], raw: unknown = {}) => review({ changes, config: cfg(raw), rules: RULES, now });
const priv = (r: ReturnType<typeof run>) => r.findings.filter((f) => f.ruleId === "k8s/privileged-container");

describe("diff-aware review", () => {
  it("marks findings new, existing or fixed by fingerprint, not by line", () => {
    const existing = run([{ path: "pod.yaml", status: "modified", base: PRIVILEGED_POD, head: withLinesAbove(PRIVILEGED_POD, 5) }]);
    expect(priv(existing).map((f) => [f.status, f.line])).toEqual([["existing", 16]]);
    expect(existing.conclusion).toBe("success");

    const fixed = run([{ path: "pod.yaml", status: "modified", base: PRIVILEGED_POD, head: PRIVILEGED_POD.replace("privileged: true", "privileged: false") }]);
    expect(priv(fixed).map((f) => f.status)).toEqual(["fixed"]);
    expect(fixed.summary.fixed).toBeGreaterThanOrEqual(1);

    const added = run([{ path: "pod.yaml", status: "added", head: PRIVILEGED_POD }]);
    expect(priv(added).map((f) => f.status)).toEqual(["new"]);
    expect(added.conclusion).toBe("failure");
    expect(added.summary.bySeverity.critical).toBeGreaterThanOrEqual(1);
  });

  it("keeps a container's findings existing when a sidecar is added before it or a container before it is removed", () => {
    const sidecar = "    - name: proxy\n      image: envoyproxy/envoy:v1.31.0\n";
    const withSidecar = PRIVILEGED_POD.replace("  containers:\n", `  containers:\n${sidecar}`);
    const added = run([{ path: "pod.yaml", status: "modified", base: PRIVILEGED_POD, head: withSidecar }]);
    expect(priv(added).map((f) => [f.status, f.line, f.path])).toEqual([["existing", 13, "spec.containers[1].securityContext.privileged"]]);
    const removed = run([{ path: "pod.yaml", status: "modified", base: withSidecar, head: PRIVILEGED_POD }]);
    expect(priv(removed).map((f) => [f.status, f.line])).toEqual([["existing", 11]]);
    // Items without distinct names keep their index: a second container named alike is a new finding.
    const twin = PRIVILEGED_POD.replace("  containers:\n", "  containers:\n    - name: shell\n      image: busybox:1.36\n");
    expect(priv(run([{ path: "pod.yaml", status: "modified", base: PRIVILEGED_POD, head: twin }])).map((f) => f.status)).toEqual(["new", "fixed"]);
  });

  it("one cause, one finding across the sides: a finding another rule stands for is neither fixed nor new", () => {
    const rules = ALL_RULES.filter((r) => ["k8s/privileged-container", "k8s/privilege-escalation", "k8s/host-path-volume", "k8s/container-runtime-socket"].includes(r.meta.id));
    const statuses = (base: string, head: string): string[] =>
      review({ changes: [{ path: "pod.yaml", status: "modified", base, head }], config: cfg(), rules, now })
        .findings.map((f) => `${f.status} ${f.ruleId}`)
        .sort();
    const calm = PRIVILEGED_POD.replace("privileged: true", "privileged: false");
    // Making the container privileged: the critical is new; its escalation, which the critical stands for, is not fixed.
    expect(statuses(calm, PRIVILEGED_POD)).toEqual(["new k8s/privileged-container"]);
    // Dropping privileged without allowPrivilegeEscalation: false: the escalation was there all along.
    expect(statuses(PRIVILEGED_POD, calm)).toEqual(["existing k8s/privilege-escalation", "fixed k8s/privileged-container"]);
    const volume = (path: string): string => `${calm}  volumes:\n    - name: host\n      hostPath:\n        path: ${path}\n`;
    // The socket's hostPath finding (deferred to the socket rule) is not new; the /var/log mount the volume had is gone
    // (a host path is part of its finding's identity: mounting another host directory is another risk).
    expect(statuses(volume("/var/log"), volume("/var/run/docker.sock"))).toEqual(["existing k8s/privilege-escalation", "fixed k8s/host-path-volume", "new k8s/container-runtime-socket"]);
    expect(statuses(volume("/var/run/docker.sock"), volume("/var/run//docker.sock"))).toEqual(["existing k8s/container-runtime-socket", "existing k8s/privilege-escalation"]);
  });

  it("a pull request that narrows an AppProject's grants reports what stays existing, not new; a grant the base did not hold is new", () => {
    const rules = ALL_RULES.filter((r) => r.meta.id.startsWith("argocd/project-"));
    const project = (destinations: string, kinds: string): string =>
      `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: addons, namespace: argocd}\nspec:\n  sourceRepos: [https://github.com/acme/addons]\n  destinations:\n${destinations}  clusterResourceWhitelist:\n${kinds}`;
    const wide = project("    - {name: '*', namespace: '*', server: '*'}\n", "    - {group: '*', kind: '*'}\n");
    const narrow = project("    - {name: in-cluster, namespace: argocd}\n    - {name: in-cluster, namespace: cert-manager}\n", "    - {group: apiextensions.k8s.io, kind: CustomResourceDefinition}\n");
    const statuses = (base: string, head: string): string[] =>
      review({ changes: [{ path: "projects/addons.yaml", status: "modified", base, head }], config: cfg(), rules, now }).findings.map((f) => `${f.status} ${f.ruleId} ${f.line}`);
    const narrowed = statuses(wide, narrow);
    expect(narrowed.filter((s) => !s.startsWith("fixed"))).toEqual([
      "existing argocd/project-destination-control-plane 7",
      "existing argocd/project-cluster-resources-privileged 10",
    ]);
    // A destination on a cluster the base never granted (the base allowed one remote cluster's argocd namespace).
    const other = "    - {server: https://staging.example.com, namespace: team-a}\n";
    const remote = project(`    - {server: https://prod.example.com, namespace: argocd}\n${other}`, "    - {group: '', kind: Namespace}\n");
    const moved = project(`    - {server: https://kubernetes.default.svc, namespace: kube-system}\n${other}`, "    - {group: '', kind: Namespace}\n");
    expect(statuses(remote, moved)).toEqual(["new argocd/project-destination-control-plane 7", "fixed argocd/project-destination-control-plane 7"]);
  });

  it("Argo CD's deny pattern narrowing namespace '*' ('!kube-system', '!argocd', then '*') adds nothing new", () => {
    const rules = ALL_RULES.filter((r) => r.meta.id.startsWith("argocd/project-"));
    const dest = (ns: string): string => `  - namespace: '${ns}'\n    server: https://kubernetes.default.svc\n`;
    const project = (...namespaces: string[]): string =>
      `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: apps, namespace: argocd}\nspec:\n  sourceRepos: [https://github.com/acme/apps.git]\n  destinations:\n${namespaces.map(dest).join("")}`;
    const statuses = (base: string, head: string): string[] =>
      review({ changes: [{ path: "project.yaml", status: "modified", base, head }], config: cfg(), rules, now }).findings.map((f) => `${f.status} ${f.ruleId} ${f.line}`);
    expect(statuses(project("*"), project("!kube-system", "!argocd", "*"))).toEqual([
      "existing argocd/project-destination-wildcard 11",
      "fixed argocd/project-destination-control-plane 7",
    ]);
    // A negated entry alone allows every other namespace: a subset of what '*' allowed, so not new either.
    expect(statuses(project("*"), project("!kube-system")).filter((s) => !s.startsWith("fixed"))).toEqual(["existing argocd/project-destination-control-plane 7"]);
  });

  it("an entry inserted above an unchanged '*' in an AppProject's string lists leaves the '*' findings existing", () => {
    const rules = ALL_RULES.filter((r) => r.meta.id.startsWith("argocd/"));
    const project = (name: string, extra: string): string =>
      [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: AppProject",
        `metadata: {name: ${name}, namespace: argocd}`,
        "spec:",
        `  sourceRepos: [${extra ? "'!https://github.com/evil/*', https://github.com/acme/apps.git, " : ""}'*']`,
        `  sourceNamespaces: [${extra ? "team-a, " : ""}'*']`,
        "  destinations: [{server: https://kubernetes.default.svc, namespace: team-a}]",
        "  roles:",
        "    - name: ci",
        `      policies: [${extra ? "'p, proj:apps:ci, applications, get, apps/*, allow', " : ""}'p, proj:apps:ci, applications, *, apps/*, allow']`,
        `      groups: [${extra ? "acme:ops, " : ""}'*']`,
        "",
      ].join("\n");
    const statuses = (name: string): string[] =>
      review({ changes: [{ path: "project.yaml", status: "modified", base: project(name, ""), head: project(name, "x") }], config: cfg(), rules, now }).findings.map((f) => `${f.status} ${f.ruleId}`);
    expect(statuses("apps")).toEqual([
      "existing argocd/project-source-repos-wildcard",
      "existing argocd/project-source-namespaces-wildcard",
      "existing argocd/project-role-wildcard-policy",
      "existing argocd/project-role-wildcard-policy",
    ]);
    expect(statuses("default")).toContain("existing argocd/default-project-permissive");
    expect(statuses("default").filter((s) => !s.startsWith("existing"))).toEqual([]);
  });

  it("a finding the pull request makes more severe is new, and the milder one is not shown fixed", () => {
    const rules = ALL_RULES.filter((r) => r.meta.id === "argocd/app-in-cluster-destination");
    const app = (ns: string): string =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: argocd}\nspec:\n  project: web\n  source: {repoURL: https://github.com/acme/gitops, path: web, targetRevision: v1.0.0}\n  destination: {server: https://kubernetes.default.svc, namespace: ${ns}}\n`;
    const found = (base: string, head: string) =>
      review({ changes: [{ path: "apps/web.yaml", status: "modified", base, head }], config: cfg(), rules, now }).findings.map((f) => `${f.status} ${f.severity}`);
    expect(found(app("web"), app("argocd"))).toEqual(["new critical"]);
    // Milder, or as severe: existing (what it became is what the head finding says).
    expect(found(app("argocd"), app("web"))).toEqual(["existing medium"]);
    expect(found(app("web"), app("web-2"))).toEqual(["existing medium"]);
  });

  it("a risk made worse in place, from the container to a field inside it, is new and the milder finding is not shown fixed", () => {
    const daemonSet = (...securityContext: string[]): string =>
      [
        "apiVersion: apps/v1",
        "kind: DaemonSet",
        "metadata: {name: smtpd}",
        "spec:",
        "  selector: {matchLabels: {app: smtpd}}",
        "  template:",
        "    metadata: {labels: {app: smtpd}}",
        "    spec:",
        "      containers:",
        "        - name: smtpd",
        "          image: ghcr.io/acme/smtpd:7.5.0",
        ...(securityContext.length > 0 ? ["          securityContext:", ...securityContext.map((l) => `            ${l}`)] : []),
        "",
      ].join("\n");
    const found = (rule: string, base: string, head: string) =>
      review({ changes: [{ path: "apps/smtpd.yaml", status: "modified", base, head }], config: cfg(), rules: ALL_RULES.filter((r) => r.meta.id === rule), now }).findings.map(
        (f) => `${f.status} ${f.severity} ${f.line}:${f.column}`,
      );
    // Unset (medium, at the container) → true (high, at the field): one new high, nothing fixed.
    expect(found("k8s/privilege-escalation", daemonSet(), daemonSet("allowPrivilegeEscalation: true"))).toEqual(["new high 13:39"]);
    expect(found("k8s/run-as-root", daemonSet(), daemonSet("runAsNonRoot: false"))).toEqual(["new high 13:27"]);
    // And back: the milder finding is what the container still has, existing; the high one is not fixed.
    expect(found("k8s/privilege-escalation", daemonSet("allowPrivilegeEscalation: true"), daemonSet())).toEqual(["existing medium 10:11"]);
    // Made safe: fixed, as before.
    expect(found("k8s/privilege-escalation", daemonSet("allowPrivilegeEscalation: true"), daemonSet("allowPrivilegeEscalation: false"))).toEqual(["fixed high 13:39"]);
  });

  it("an insecure value written, then deleted with the risk unchanged, is one existing finding, not new and fixed", () => {
    const pod = (podSc: string[], containerSc: string[]): string =>
      [
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: web}",
        "spec:",
        ...(podSc.length ? ["  securityContext:", ...podSc.map((l) => `    ${l}`)] : []),
        "  containers:",
        "    - name: web",
        "      image: ghcr.io/acme/web:1.0.0",
        ...(containerSc.length ? ["      securityContext:", ...containerSc.map((l) => `        ${l}`)] : []),
        "",
      ].join("\n");
    const found = (rule: string, base: string, head: string) =>
      review({ changes: [{ path: "apps/web.yaml", status: "modified", base, head }], config: cfg(), rules: ALL_RULES.filter((r) => r.meta.id === rule), now }).findings.map((f) => `${f.status} ${f.severity}`);
    // The same severity at the field and at the container.
    expect(found("k8s/writable-root-filesystem", pod([], ["readOnlyRootFilesystem: false"]), pod([], []))).toEqual(["existing low"]);
    // A pod-level field deleted, the container still unset: milder, existing.
    expect(found("k8s/run-as-root", pod(["runAsNonRoot: false"], []), pod([], []))).toEqual(["existing medium"]);
    expect(found("k8s/seccomp-unconfined", pod(["seccompProfile: {type: Unconfined}"], []), pod([], []))).toEqual(["existing low"]);
    // And written at the pod where the container was unset: worse, new.
    expect(found("k8s/run-as-root", pod([], []), pod(["runAsNonRoot: false"], []))).toEqual(["new high"]);
  });

  it("fails a pull request that makes the repository config invalid (merged, it would stop every later review), and names the problem", () => {
    const change = (head: string): FileChange[] => [{ path: ".github/gitops-guard.yml", status: "modified", base: "failOn: high\n", head }];
    const broken = run(change("failon: medium\n"));
    expect(broken.conclusion).toBe("failure");
    expect(broken.invalidConfig).toEqual(['.github/gitops-guard.yml: failon: unknown key; did you mean "failOn"?']);
    expect(broken.notes.some((n) => n.includes("once merged every review would stop on it"))).toBe(true);
    expect(checkRunOutput(broken).title).toBe("This pull request makes the gitops-guard configuration invalid");
    const fine = run(change("failOn: medium\n"));
    expect([fine.conclusion, fine.invalidConfig]).toEqual(["success", undefined]);
  });

  it("keeps findings of a renamed file existing", () => {
    const r = run([{ path: "apps/tools/pod.yaml", previousPath: "pod.yaml", status: "renamed", base: PRIVILEGED_POD, head: PRIVILEGED_POD }]);
    expect(priv(r).map((f) => [f.status, f.file])).toEqual([["existing", "apps/tools/pod.yaml"]]);
  });

  it("shows a fixed finding of a renamed file under its base path, where its line is", () => {
    // The PR replaces the pod with another in a file git reads as a rename of the first (e.g. one Application deleted,
    // another added): what the old file had is fixed there, at its own line, not at that line of the new file.
    const calm = PRIVILEGED_POD.replace("privileged: true", "privileged: false");
    const r = run([{ path: "apps/tools/pod.yaml", previousPath: "pod.yaml", status: "renamed", base: withLinesAbove(PRIVILEGED_POD, 2), head: calm }]);
    const fixed = priv(r).filter((f) => f.status === "fixed");
    const baseLine = priv(run([{ path: "pod.yaml", status: "removed", base: withLinesAbove(PRIVILEGED_POD, 2) }]))[0]!.line;
    expect(fixed.map((f) => [f.file, f.line])).toEqual([["pod.yaml", baseLine]]);
  });

  it("marks findings at base lines (a deleted Application, a fixed finding) so that reports link them to the base commit", () => {
    const app = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata:",
      "  name: payments",
      "  namespace: argocd",
      "  finalizers: [resources-finalizer.argocd.argoproj.io]",
      "spec:",
      "  project: payments",
      "  source: {repoURL: https://github.com/example/payments.git, path: deploy, targetRevision: v1.0.0}",
      "  destination: {name: workload, namespace: payments}",
      "",
    ].join("\n");
    const changes: FileChange[] = [{ path: "apps/payments.yaml", status: "removed", base: app }, { path: "pod.yaml", status: "removed", base: PRIVILEGED_POD }];
    const r = review({ changes, config: cfg(), rules: ALL_RULES, now });
    const deleted = r.findings.find((f) => f.ruleId === "argocd/app-deleted");
    expect(deleted).toMatchObject({ status: "new", file: "apps/payments.yaml", side: "base" });
    expect(priv(r).map((f) => [f.status, f.side])).toEqual([["fixed", "base"]]);
    const added = run([{ path: "pod.yaml", status: "added", head: PRIVILEGED_POD }]);
    expect(priv(added)[0]!.side).toBeUndefined();
  });

  it("reports what a deleted file had as fixed", () => {
    const r = run([{ path: "pod.yaml", status: "removed", base: PRIVILEGED_POD }]);
    expect(priv(r).map((f) => [f.status, f.file])).toEqual([["fixed", "pod.yaml"]]);
    expect(r.conclusion).toBe("success");
  });

  it("does not call a finding fixed when the pull request breaks its file's YAML: the head is unknown, not fixed", () => {
    const broken = PRIVILEGED_POD.replace("  containers:\n", "  bad: [\n  containers:\n");
    const r = run([{ path: "pod.yaml", status: "modified", base: PRIVILEGED_POD, head: broken }]);
    expect(r.findings.map((f) => `${f.status} ${f.ruleId}`)).toEqual(["new guard/parse-error"]);
    expect(r.conclusion).toBe("failure");
    expect(r.notes).toContainEqual(expect.stringMatching(/^pod\.yaml: 1 finding of its base version is not compared .*could not be read whole/));
    // A fix made in a file that still reads is a fix; one in another document of the broken file is not claimed.
    const two = `${PRIVILEGED_POD}---\n${PRIVILEGED_POD.replace("name: debug", "name: other")}`;
    const fixedFirstBrokeSecond = `${PRIVILEGED_POD.replace("privileged: true", "privileged: false")}---\n${PRIVILEGED_POD.replace("name: debug", "name: other").replace("  containers:\n", "  bad: [\n  containers:\n")}`;
    const both = run([{ path: "pod.yaml", status: "modified", base: two, head: fixedFirstBrokeSecond }]);
    expect(both.findings.map((f) => `${f.status} ${f.ruleId}`)).toEqual(["new guard/parse-error"]);
    const clean = run([{ path: "pod.yaml", status: "modified", base: two, head: `${PRIVILEGED_POD.replace("privileged: true", "privileged: false")}---\n${PRIVILEGED_POD.replace("name: debug", "name: other")}` }]);
    expect(priv(clean).map((f) => f.status).sort()).toEqual(["existing", "fixed"]);
  });

  it("names an added capability by its value: a swapped capability is new, and removing the one above another fixes the removed one", () => {
    const rules = ALL_RULES.filter((r) => r.meta.id === "k8s/dangerous-capabilities");
    const withCaps = (caps: string) => PRIVILEGED_POD.replace("privileged: true", `capabilities:\n          add: [${caps}]`);
    const statuses = (base: string, head: string) =>
      review({ changes: [{ path: "pod.yaml", status: "modified", base: withCaps(base), head: withCaps(head) }], config: cfg(), rules, now }).findings.map((f) => `${f.status} ${f.message.match(/adds the (\w+)/)?.[1]}`).sort();
    expect(statuses("SYS_ADMIN", "SYS_PTRACE")).toEqual(["fixed SYS_ADMIN", "new SYS_PTRACE"]);
    expect(statuses("NET_ADMIN, SYS_ADMIN", "SYS_ADMIN")).toEqual(["existing SYS_ADMIN", "fixed NET_ADMIN"]);
    expect(statuses("SYS_ADMIN", "CAP_SYS_ADMIN")).toEqual(["existing SYS_ADMIN"]);
  });

  it("a hostPath volume pointed at another host directory is a new finding (a waiver for one directory does not cover another)", () => {
    const rules = ALL_RULES.filter((r) => r.meta.id === "k8s/host-path-volume");
    const volume = (path: string): string => `${PRIVILEGED_POD}  volumes:\n    - name: host\n      hostPath:\n        path: ${path}\n`;
    const statuses = (base: string, head: string) => review({ changes: [{ path: "pod.yaml", status: "modified", base: volume(base), head: volume(head) }], config: cfg(), rules, now }).findings.map((f) => `${f.status} ${f.line}`).sort();
    expect(statuses("/var/lib/kubelet/pods", "/etc")).toEqual(["fixed 15", "new 15"]);
    expect(statuses("/var/lib/kubelet/pods", "/var/lib/kubelet/pods/")).toEqual(["existing 15"]);
    // Widened: new, and the old directory (still mounted) is not shown fixed; narrowed: one risk, no worse — existing.
    expect(statuses("/var/lib/kubelet/pods", "/var/lib")).toEqual(["new 15"]);
    expect(statuses("/var/lib", "/var/lib/kubelet/pods")).toEqual(["existing 15"]);
  });

  it("gives fingerprints that ignore line moves but change with file, resource or path", () => {
    const a = priv(scan([{ path: "a.yaml", content: PRIVILEGED_POD }], { config: cfg(), rules: ALL_RULES, now }))[0]!;
    const moved = priv(scan([{ path: "a.yaml", content: withLinesAbove(PRIVILEGED_POD, 3) }], { config: cfg(), rules: ALL_RULES, now }))[0]!;
    const other = priv(scan([{ path: "b.yaml", content: PRIVILEGED_POD }], { config: cfg(), rules: ALL_RULES, now }))[0]!;
    const renamed = priv(scan([{ path: "a.yaml", content: PRIVILEGED_POD.replace("name: debug", "name: debug2") }], { config: cfg(), rules: ALL_RULES, now }))[0]!;
    expect(moved.fingerprint).toBe(a.fingerprint);
    expect(other.fingerprint).not.toBe(a.fingerprint);
    expect(renamed.fingerprint).not.toBe(a.fingerprint);
  });

  it("reviews only YAML files and paths.include, minus paths.exclude", () => {
    const changes: FileChange[] = [
      { path: "pod.yaml", status: "added", head: PRIVILEGED_POD },
      { path: "pod.json.txt", status: "added", head: PRIVILEGED_POD },
      { path: "vendor/pod.yml", status: "added", head: PRIVILEGED_POD },
    ];
    expect(priv(run(changes)).map((f) => f.file).sort()).toEqual(["pod.yaml", "vendor/pod.yml"]);
    expect(priv(run(changes, { paths: { include: ["*.txt"], exclude: ["vendor/**"] } })).map((f) => f.file).sort()).toEqual(["pod.json.txt", "pod.yaml"]);
  });
});

describe("policy", () => {
  const added = (yaml: string, path = "pod.yaml"): FileChange[] => [{ path, status: "added", head: yaml }];

  it("fails only at or above failOn", () => {
    expect(run(added(PRIVILEGED_POD), { rules: { "k8s/privileged-container": "medium" } }).conclusion).toBe("success");
    expect(run(added(PRIVILEGED_POD), { failOn: "medium", rules: { "k8s/privileged-container": "medium" } }).conclusion).toBe("failure");
  });

  it("turns rules off and scopes them to paths", () => {
    expect(priv(run(added(PRIVILEGED_POD), { rules: { "k8s/privileged-container": "off" } }))).toEqual([]);
    const scoped = { rules: { "k8s/privileged-container": { severity: "high", paths: ["envs/prod/**"] } } };
    expect(priv(run(added(PRIVILEGED_POD, "envs/dev/pod.yaml"), scoped))).toEqual([]);
    expect(priv(run(added(PRIVILEGED_POD, "envs/prod/pod.yaml"), scoped)).map((f) => f.severity)).toEqual(["high"]);
  });

  it("honours a suppression annotation with a reason", () => {
    const yaml = PRIVILEGED_POD.replace("  namespace: tools\n", '  namespace: tools\n  annotations:\n    gitops-guard.io/ignore: "k8s/privileged-container -- node debugging tool, removed after INC-42"\n');
    const r = run(added(yaml));
    expect(priv(r)[0]!.suppressed).toEqual({ by: "annotation", reason: "node debugging tool, removed after INC-42", expires: null, actor: null });
    expect(r.summary.suppressed).toBeGreaterThanOrEqual(1);
    expect(r.findings.filter((f) => f.ruleId === "guard/invalid-suppression")).toEqual([]);
  });

  it("rejects a suppression without a reason or with an unknown rule", () => {
    const noReason = PRIVILEGED_POD.replace("  namespace: tools\n", '  namespace: tools\n  annotations:\n    gitops-guard.io/ignore: "k8s/privileged-container"\n');
    const r = run(added(noReason));
    expect(priv(r)[0]!.suppressed).toBeNull();
    const inv = r.findings.find((f) => f.ruleId === "guard/invalid-suppression");
    expect(inv).toMatchObject({ line: 7, column: 29, severity: "low", path: 'metadata.annotations["gitops-guard.io/ignore"]' });
    const unknown = PRIVILEGED_POD.replace("  namespace: tools\n", '  namespace: tools\n  annotations:\n    gitops-guard.io/ignore: "k8s/privileged -- typo"\n');
    expect(run(added(unknown)).findings.find((f) => f.ruleId === "guard/invalid-suppression")!.message).toMatch(/unknown rule "k8s\/privileged"/);
  });

  it("applies config waivers until they expire", () => {
    const waiver = (expires: string) => ({ waivers: [{ rule: "k8s/privileged-container", path: "envs/**", resource: "Pod/tools/debug", reason: "INC-42", expires }] });
    const live = run(added(PRIVILEGED_POD, "envs/dev/pod.yaml"), waiver("2026-12-31"));
    expect(priv(live)[0]!.suppressed).toMatchObject({ by: "config", reason: "INC-42" });
    expect(live.conclusion).toBe("success");
    const expired = run(added(PRIVILEGED_POD, "envs/dev/pod.yaml"), waiver("2026-11-01"));
    expect(priv(expired)[0]!.suppressed).toBeNull();
    expect(expired.conclusion).toBe("failure");
    expect(expired.notes.join("\n")).toMatch(/expired on 2026-11-01/);
    const otherResource = run(added(PRIVILEGED_POD, "envs/dev/pod.yaml"), { waivers: [{ rule: "k8s/privileged-container", resource: "Pod/other", reason: "x", expires: "2027-01-01" }] });
    expect(priv(otherResource)[0]!.suppressed).toBeNull();
  });

  it("passes a head SHA with an override while keeping findings listed", () => {
    const r = review({ changes: added(PRIVILEGED_POD), config: cfg(), rules: RULES, now, override: { actor: "octocat", reason: "hotfix" } });
    expect(r.conclusion).toBe("success");
    expect(priv(r)[0]!.suppressed).toEqual({ by: "override", reason: "hotfix", expires: null, actor: "octocat" });
  });
});

describe("config validation", () => {
  const problems = (raw: unknown): string[] => {
    try {
      parseConfig(raw, RULE_IDS);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it("accepts an empty config with documented defaults", () => {
    const c = cfg(null);
    expect(c.failOn).toBe("high");
    expect(c.argocd.namespace).toBe("argocd");
    expect(c.commands.prefix).toBe("/guard");
  });

  it("names the exact key path and what was expected", () => {
    expect(problems({ failOn: "severe" })[0]).toMatch(/^failOn: /);
    expect(problems({ failOn: "severe" })[0]).toMatch(/critical/);
    expect(problems({ rules: { "k8s/privileged-container": "loud" } })[0]).toMatch(/^rules\.k8s\/privileged-container/);
    expect(problems({ rules: { "k8s/not-a-rule": "off" } })).toEqual(["rules.k8s/not-a-rule: unknown rule id \"k8s/not-a-rule\" (see `gitops-guard rules`)"]);
    expect(problems({ waivers: [{ rule: "k8s/privileged-container", reason: "", expires: "2026-12-01" }] })[0]).toMatch(/^waivers\.0\.reason: /);
    expect(problems({ waivers: [{ rule: "k8s/privileged-container", reason: "x", expires: "someday" }] })[0]).toMatch(/^waivers\.0\.expires: expected a date/);
    expect(problems({ failon: "high" })[0]).toMatch(/failon/);
  });
});

describe("diff rules", () => {
  const seen: RuleSettings[] = [];
  const probe = defineRule({
    meta: { id: "test/diff-probe", title: "Diff probe", severity: "low", description: "Records its settings.", rationale: "A test double for diff rules.", fix: "Nothing." },
    checkDiff: (ctx) => void seen.push(ctx.settings),
  });
  const known = new Set([...RULE_IDS, probe.meta.id]);
  const change: FileChange = { path: "pod.yaml", status: "modified", base: PRIVILEGED_POD, head: PRIVILEGED_POD };

  it("get the settings file rules get, from the policy (registry lists included); a rule that is off does not run", () => {
    const config = parseConfig({ images: { allowedRegistries: ["registry.example.com"], productionRegistries: ["registry.example.com/prod"] }, argocd: { namespace: "gitops" } }, known);
    review({ changes: [change], config, rules: [probe], now });
    expect(seen).toEqual([new Policy(config, [probe]).settingsFor(probe.meta.id)]);
    expect(seen[0]).toMatchObject({ argocdNamespace: "gitops", allowedRegistries: ["registry.example.com"], productionRegistries: ["registry.example.com/prod"] });

    seen.length = 0;
    review({ changes: [change], config: parseConfig({ rules: { [probe.meta.id]: "off" } }, known), rules: [probe], now });
    expect(seen).toEqual([]);
  });
});

describe("blocking", () => {
  it("one decision: the conclusion fails exactly when a finding blocks, and exactly blocking findings are failure annotations", () => {
    const result = run([{ path: "pod.yaml", status: "modified", base: PRIVILEGED_POD, head: PRIVILEGED_POD }, { path: "new.yaml", status: "added", head: PRIVILEGED_POD }]);
    const blocking = result.findings.filter((f) => isBlocking(f, result.failOn));
    expect(blocking.length).toBeGreaterThan(0);
    expect(result.conclusion).toBe("failure");
    const failures = checkRunOutput(result).annotations.filter((a) => a.annotation_level === "failure");
    expect(failures.map((a) => [a.path, a.start_line])).toEqual(blocking.map((f) => [f.file, f.line]));
    expect(run([{ path: "pod.yaml", status: "modified", base: PRIVILEGED_POD, head: PRIVILEGED_POD }]).conclusion).toBe("success");
  });
});

describe("files the caller parsed already (ReviewInput.parsed)", () => {
  it("are used as given, not parsed again, with the same findings as the review's own parse", () => {
    const changes: FileChange[] = [{ path: "pod.yaml", status: "added", head: PRIVILEGED_POD }];
    const own = run(changes);
    const same = review({ changes, config: cfg(), rules: RULES, now, parsed: { head: new Map([["pod.yaml", parseYamlFile("pod.yaml", PRIVILEGED_POD)]]) } });
    expect(same.findings).toEqual(own.findings);
    // The given parse is what is judged: one of a harmless pod stands in for the file's own text.
    const harmless = parseYamlFile("pod.yaml", PRIVILEGED_POD.replace("privileged: true", "privileged: false"));
    const given = review({ changes, config: cfg(), rules: RULES, now, parsed: { head: new Map([["pod.yaml", harmless]]) } });
    expect(priv(own).map((f) => f.line)).toEqual([11]);
    expect(priv(given)).toEqual([]);
  });
});
