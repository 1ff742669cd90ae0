import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../core/config.js";
import { review, type FileChange } from "../../core/review.js";
import { APPSET_OVERLAY } from "../../../test/helpers/argocd-fixtures.js";
import rule from "./app-deleted.js";

const app = (name: string, opts: { finalizer?: string | null; namespace?: string | null; project?: string } = {}): string => {
  const finalizer = opts.finalizer === undefined ? "resources-finalizer.argocd.argoproj.io" : opts.finalizer;
  const namespace = opts.namespace === undefined ? "argocd" : opts.namespace;
  return [
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    ...(finalizer ? ["  finalizers:", "    - example.com/other-finalizer", `    - ${finalizer}`] : []),
    "spec:",
    `  project: ${opts.project ?? "payments"}`,
    "  source:",
    "    repoURL: https://github.com/example/payments.git",
    "    path: deploy",
    "    targetRevision: v1.0.0",
    "  destination:",
    "    name: prod-cluster",
    `    namespace: ${name}`,
    "",
  ].join("\n");
};

function run(changes: FileChange[], config: unknown = {}) {
  const result = review({ changes, config: parseConfig(config, new Set([rule.meta.id])), rules: [rule], now: new Date("2026-11-22T00:00:00Z") });
  return result.findings.map((f) => ({ file: f.file, line: f.line, column: f.column, path: f.path, severity: f.severity, status: f.status, message: f.message }));
}

/** An umbrella chart's argocd-apps values, and an overlay file layered on them (`-f values.yaml -f values-seed.yaml`). */
const APPSET_VALUES = [
  "argocd-apps:",
  "  applicationsets:",
  "    root:",
  "      namespace: argocd",
  "      generators:",
  "        - git:",
  "            repoURL: http://gitea-http.gitea:3000/ops/homelab",
  "            revision: dev",
  "            directories:",
  "              - path: apps/*",
  "      template:",
  "        metadata:",
  "          name: '{{path.basename}}'",
  "        spec:",
  "          project: apps",
  "          destination:",
  "            name: workload",
  "            namespace: '{{path.basename}}'",
  "          source:",
  "            repoURL: http://gitea-http.gitea:3000/ops/homelab",
  "            path: '{{path}}'",
  "            targetRevision: dev",
  "",
].join("\n");

describe("argocd/app-deleted", () => {
  it("flags a removed file whose Application has the resources finalizer, at the finalizer entry of the base file", () => {
    expect(run([{ path: "apps/payments.yaml", status: "removed", base: app("payments") }])).toEqual([
      {
        file: "apps/payments.yaml",
        line: 8,
        column: 7,
        path: "metadata.finalizers[1]",
        severity: "high",
        status: "new",
        message: 'Application "payments" is deleted by this change and has the resources finalizer: when Argo CD prunes it, every resource it manages is deleted too.',
      },
    ]);
  });

  it("flags a deleted ApplicationSet that does not preserve resources, at its name; not one that does, nor one that stays", () => {
    const set = (preserve: boolean): string =>
      [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: ApplicationSet",
        "metadata:",
        "  name: clusters",
        "  namespace: argocd",
        "spec:",
        ...(preserve ? ["  syncPolicy:", "    preserveResourcesOnDeletion: true"] : []),
        "  generators:",
        "    - list: {elements: [{cluster: prod}]}",
        "  template:",
        "    metadata: {name: '{{cluster}}-web'}",
        "    spec: {project: web, source: {repoURL: https://github.com/example/web.git, path: deploy, targetRevision: v1.0.0}, destination: {name: '{{cluster}}', namespace: web}}",
        "",
      ].join("\n");
    expect(run([{ path: "appsets/clusters.yaml", status: "removed", base: set(false) }]).map((f) => [f.line, f.path, f.status])).toEqual([[4, "metadata.name", "new"]]);
    expect(run([{ path: "appsets/clusters.yaml", status: "removed", base: set(true) }])).toEqual([]);
    expect(run([{ path: "appsets/clusters.yaml", status: "modified", base: set(false), head: set(true) }])).toEqual([]);
  });

  it("stays silent when the file's new version cannot be read (it is unreadable, not known to be deleted)", () => {
    const broken = `${app("payments")}  extra: [unclosed\n`;
    expect(run([{ path: "apps/payments.yaml", status: "modified", base: app("payments"), head: broken }])).toEqual([]);
    const templated = `{{- if .Values.enabled }}\n${app("payments")}{{- end }}\n`;
    expect(run([{ path: "apps/payments.yaml", status: "modified", base: app("payments"), head: templated }])).toEqual([]);
  });

  it("flags a document removed from a multi-document file, not the one that stays", () => {
    const base = `${app("payments")}---\n${app("ledger", { finalizer: "resources-finalizer.argocd.argoproj.io/background" })}`;
    const head = app("payments");
    // The second document starts at line 19; its finalizer entry is line 26 of the base file.
    expect(run([{ path: "apps/all.yaml", status: "modified", base, head }]).map((f) => [f.line, f.path])).toEqual([[26, "metadata.finalizers[1]"]]);
  });

  it("flags the /foreground variant", () => {
    const found = run([{ path: "apps/payments.yaml", status: "removed", base: app("payments", { finalizer: "resources-finalizer.argocd.argoproj.io/foreground" }) }]);
    expect(found.map((f) => f.path)).toEqual(["metadata.finalizers[1]"]);
  });

  it("says when the deleted Application is renamed (one the change adds deploys the same): deleted, then created again", () => {
    const renamed = app("payments").replace("  name: payments\n", "  name: payments-eu\n");
    const found = run([{ path: "apps/payments.yaml", status: "modified", base: app("payments"), head: renamed }]);
    expect(found.map((f) => [f.line, f.status, f.message])).toEqual([
      [
        8,
        "new",
        'Application "payments" is renamed to "payments-eu" by this change and has the resources finalizer: Argo CD deletes the old Application and every resource it manages, then creates them again under the new one (a PersistentVolumeClaim among them loses its data).',
      ],
    ]);
    // Another Application added beside it (another destination) is no rename.
    const other = run([{ path: "apps/payments.yaml", status: "modified", base: app("payments"), head: app("ledger") }]);
    expect(other.map((f) => f.message)).toEqual(['Application "payments" is deleted by this change and has the resources finalizer: when Argo CD prunes it, every resource it manages is deleted too.']);
  });

  it("passes an Application moved to another file, or a renamed file", () => {
    expect(
      run([
        { path: "apps/payments.yaml", status: "removed", base: app("payments") },
        { path: "apps/team-a/all.yaml", status: "added", head: `${app("ledger")}---\n${app("payments", { project: "team-a" })}` },
      ]),
    ).toEqual([]);
    expect(run([{ path: "apps/new/payments.yaml", previousPath: "apps/payments.yaml", status: "renamed", base: app("payments"), head: app("payments") }])).toEqual([]);
  });

  it("treats a missing namespace as the Argo CD namespace when matching moved Applications", () => {
    const changes: FileChange[] = [
      { path: "apps/payments.yaml", status: "removed", base: app("payments", { namespace: null }) },
      { path: "apps/moved.yaml", status: "added", head: app("payments", { namespace: "argocd" }) },
    ];
    expect(run(changes)).toEqual([]);
    expect(run(changes, { argocd: { namespace: "gitops" } }).map((f) => f.path)).toEqual(["metadata.finalizers[1]"]);
  });

  it("flags an Application that moves to another namespace (a different Application)", () => {
    const changes: FileChange[] = [{ path: "apps/payments.yaml", status: "modified", base: app("payments"), head: app("payments", { namespace: "team-a" }) }];
    expect(run(changes).map((f) => f.path)).toEqual(["metadata.finalizers[1]"]);
  });

  it("passes a deleted Application without the finalizer, and one whose finalizer is removed but stays", () => {
    expect(run([{ path: "apps/payments.yaml", status: "removed", base: app("payments", { finalizer: null }) }])).toEqual([]);
    expect(run([{ path: "apps/payments.yaml", status: "modified", base: app("payments"), head: app("payments", { finalizer: null }) }])).toEqual([]);
  });

  it("passes a deleted Kustomize patch of an Application (no source or destination)", () => {
    const patch = ["apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata:", "  name: payments", "  finalizers:", "    - resources-finalizer.argocd.argoproj.io", "spec:", "  project: payments", ""].join("\n");
    expect(run([{ path: "overlays/prod/patch.yaml", status: "removed", base: patch }])).toEqual([]);
  });

  it("passes other kinds and honours the config", () => {
    const set = app("payments").replace("kind: Application", "kind: ApplicationSet");
    expect(run([{ path: "apps/set.yaml", status: "removed", base: set }])).toEqual([]);
    expect(run([{ path: "apps/payments.yaml", status: "removed", base: app("payments") }], { rules: { "argocd/app-deleted": "off" } })).toEqual([]);
    expect(run([{ path: "apps/payments.yaml", status: "removed", base: app("payments") }], { rules: { "argocd/app-deleted": "critical" } }).map((f) => f.severity)).toEqual(["critical"]);
  });

  it("counts an overlay values file's partial entry as no ApplicationSet: removing the entry from both files is one deletion, at values.yaml", () => {
    const findings = run([
      { path: "system/argocd/values.yaml", status: "modified", base: APPSET_VALUES, head: "" },
      { path: "system/argocd/values-seed.yaml", status: "modified", base: APPSET_OVERLAY, head: "# layered on values.yaml\n" },
    ]);
    expect(findings.map((f) => [f.file, f.line, f.status])).toEqual([["system/argocd/values.yaml", 3, "new"]]);
  });

  describe("an ApplicationSet that stays but stops generating Applications", () => {
    const appset = (generators: string[], opts: { name?: string; syncPolicy?: string[]; goTemplate?: boolean } = {}): string =>
      [
        "apiVersion: argoproj.io/v1alpha1", // 1
        "kind: ApplicationSet", // 2
        "metadata:", // 3
        "  name: nginx-appset", // 4
        "  namespace: argocd", // 5
        "spec:", // 6
        ...(opts.goTemplate ? ["  goTemplate: true"] : []),
        ...(opts.syncPolicy ? ["  syncPolicy:", ...opts.syncPolicy.map((l) => `    ${l}`)] : []),
        "  generators:", // 7
        ...generators,
        "  template:",
        "    metadata:",
        `      name: '${opts.name ?? "nginx-{{env}}"}'`,
        "    spec:",
        "      project: demo",
        "      source: {repoURL: https://github.com/example/repo, targetRevision: v1.0.0, path: guestbook}",
        "      destination: {server: https://prod.example.com, namespace: 'nginx-{{env}}'}",
        "",
      ].join("\n");
    const list = (...envs: string[]): string[] => ["  - list:", "      elements:", ...envs.map((e) => `      - env: ${e}`)];
    const modified = (base: string, head: string) => run([{ path: "appsets/nginx.yaml", status: "modified", base, head }]);

    it("flags each Application a removed list element generated, at that element's base line", () => {
      expect(modified(appset(list("dev", "prod")), appset(list("dev")))).toEqual([
        {
          file: "appsets/nginx.yaml",
          line: 11,
          column: 9,
          path: "spec.generators[0].list.elements[1]",
          severity: "high",
          status: "new",
          message:
            'ApplicationSet "nginx-appset" no longer generates Application "nginx-prod" (its list element 2 is removed or changed): the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.',
        },
      ]);
    });

    it("flags every Application renamed by the template's metadata.name, at that name", () => {
      const found = modified(appset(list("dev", "prod")), appset(list("dev", "prod"), { name: "web-{{env}}" }));
      expect(found.map((f) => [f.line, f.path, f.message.match(/Application "([^"]+)"/)?.[1]])).toEqual([
        [14, "spec.template.metadata.name", "nginx-dev"],
        [14, "spec.template.metadata.name", "nginx-prod"],
      ]);
    });

    it("flags the Applications a removed matrix list entry generated, at that entry", () => {
      const matrix = (...regions: string[]): string[] => [
        "  - matrix:",
        "      generators:",
        "      - list: {elements: [{env: dev}, {env: prod}]}",
        "      - list:",
        "          elements:",
        ...regions.map((r) => `          - region: ${r}`),
      ];
      const found = modified(appset(matrix("eu", "us"), { name: "nginx-{{env}}-{{region}}" }), appset(matrix("eu"), { name: "nginx-{{env}}-{{region}}" }));
      expect(found.map((f) => [f.line, f.column, f.path, f.message.match(/Application "([^"]+)"/)?.[1]])).toEqual([
        [14, 13, "spec.generators[0].matrix.generators[1].list.elements[1]", "nginx-dev-us"],
        [14, 13, "spec.generators[0].matrix.generators[1].list.elements[1]", "nginx-prod-us"],
      ]);
    });

    it("passes an added element, and a set whose Applications keep their names", () => {
      expect(modified(appset(list("dev")), appset(list("dev", "prod")))).toEqual([]);
      expect(modified(appset(list("dev", "prod")), appset(list("prod", "dev")))).toEqual([]);
    });

    it("passes when the generated Applications keep their resources or are never deleted by the controller", () => {
      const preserve = ["preserveResourcesOnDeletion: true"];
      expect(modified(appset(list("dev", "prod"), { syncPolicy: preserve }), appset(list("dev"), { syncPolicy: preserve }))).toEqual([]);
      expect(modified(appset(list("dev", "prod")), appset(list("dev"), { syncPolicy: preserve }))).toEqual([]);
      for (const policy of ["create-only", "create-update"]) {
        expect(modified(appset(list("dev", "prod")), appset(list("dev"), { syncPolicy: [`applicationsSync: ${policy}`] }))).toEqual([]);
      }
      // create-delete deletes.
      expect(modified(appset(list("dev", "prod")), appset(list("dev"), { syncPolicy: ["applicationsSync: create-delete"] }))).toHaveLength(1);
    });

    it("stays silent when the generated names are not all known on both sides", () => {
      // A clusters generator's parameters come from the cluster, a git generator's from the repository's tree.
      const clusters = ["  - clusters: {selector: {matchLabels: {env: prod}}}"];
      expect(modified(appset([...list("dev", "prod"), ...clusters], { name: "{{name}}" }), appset([...list("dev"), ...clusters], { name: "{{name}}" }))).toEqual([]);
      const git = ["  - git: {repoURL: https://github.com/example/repo, revision: HEAD, directories: [{path: 'apps/*'}]}"];
      expect(modified(appset(git, { name: "{{path.basename}}" }), appset(list("dev"), { name: "{{path.basename}}" }))).toEqual([]);
      // elementsYaml is not expanded: the head side's names are unknown.
      expect(modified(appset(list("dev", "prod")), appset(["  - list: {elementsYaml: '{{ .values }}'}"]))).toEqual([]);
      // A selector over a cluster's unknown labels may or may not keep a set.
      const selected = ["  - matrix:", "      generators:", "      - clusters: {}", "      - list: {elements: [{env: dev}, {env: prod}]}", "    selector: {matchLabels: {tier: web}}"];
      expect(modified(appset(selected), appset(list("dev")))).toEqual([]);
    });
  });
});
