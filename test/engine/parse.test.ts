import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../src/core/config.js";
import { scan } from "../../src/core/review.js";
import { parseYamlFile } from "../../src/parse/yaml-file.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { PRIVILEGED_POD } from "./fixtures.js";

const now = new Date("2026-11-22T00:00:00Z");
const run = (files: Array<{ path: string; content: string | Uint8Array }>) => scan(files, { config: defaultConfig(), rules: ALL_RULES, now });
const parseErrors = (r: ReturnType<typeof run>) => r.findings.filter((f) => f.ruleId === "guard/parse-error");

describe("bad input becomes a finding, and other files are still reviewed", () => {
  it("reports invalid YAML at the parser's line and column", () => {
    const r = run([
      { path: "apps/broken.yaml", content: "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n  b: 3\n" },
      { path: "apps/pod.yaml", content: PRIVILEGED_POD },
    ]);
    const [err] = parseErrors(r);
    expect(err).toMatchObject({ file: "apps/broken.yaml", severity: "high", status: "new" });
    expect(err!.line).toBeGreaterThanOrEqual(4);
    expect(err!.message).toMatch(/invalid YAML/);
    expect(r.findings.some((f) => f.ruleId === "k8s/privileged-container" && f.file === "apps/pod.yaml")).toBe(true);
    expect(r.conclusion).toBe("failure");
  });

  it("refuses files over the size cap without reading them", () => {
    const big = `data:\n${"  k: value\n".repeat(120_000)}`;
    const [err] = parseErrors(run([{ path: "big.yaml", content: big }]));
    expect(err!.message).toMatch(/over the 1\.0 MB limit/);
    expect(err!.line).toBe(1);
  });

  it("stops YAML alias bombs", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n");
    const [err] = parseErrors(run([{ path: "bomb.yaml", content: bomb }]));
    expect(err!.message).toMatch(/alias/);
  });

  it("refuses documents nested deeper than the depth cap", () => {
    const deep = `${Array.from({ length: 150 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n")} 1\n`;
    const [err] = parseErrors(run([{ path: "deep.yaml", content: deep }]));
    expect(err!.message).toMatch(/nests deeper than 100/);
  });

  it("refuses binary and non-UTF-8 files with a clear reason", () => {
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]);
    const latin1 = new Uint8Array(Buffer.from("name: caf\xe9\n", "latin1"));
    const errs = parseErrors(run([{ path: "logo.yaml", content: binary }, { path: "latin1.yaml", content: latin1 }]));
    const byFile = Object.fromEntries(errs.map((e) => [e.file, e.message]));
    expect(byFile["logo.yaml"]).toMatch(/looks binary/);
    expect(byFile["latin1.yaml"]).toMatch(/not valid UTF-8/);
  });

  it("skips Helm templates with a note instead of an error", () => {
    const tpl = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n{{- if .Values.public }}\n  type: LoadBalancer\n{{- end }}\n";
    const r = run([{ path: "chart/templates/pod.yaml", content: tpl }]);
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual([expect.stringMatching(/chart\/templates\/pod\.yaml: skipped — Helm\/Go template syntax/)]);
  });

  it("skips a template that happens to parse as YAML ({{ }} read as nested flow maps)", () => {
    const tpl = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  hostNetwork: {{ .Values.hostNet }}\n";
    const f = parseYamlFile("chart/templates/pod.yaml", tpl);
    expect(f.problems).toEqual([]);
    expect(f.skipped).toMatch(/Helm\/Go template syntax/);
  });

  it("still reviews files whose {{ }} are inside strings (ApplicationSet templates, block scalars)", () => {
    const appset = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  template:
    metadata:
      name: '{{cluster}}-guestbook'
    spec:
      project: "{{project}}"
  templatePatch: |
    {{- if .autoSync }}
    spec: {}
    {{- end }}
`;
    const f = parseYamlFile("appsets/guestbook.yaml", appset);
    expect(f.skipped).toBeNull();
    expect(f.docs).toHaveLength(1);
    expect(f.docs[0]!.class).toBe("argocd");
  });

  it("gives no Kubernetes findings on non-Kubernetes YAML", () => {
    const workflow = "name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container:\n      image: node:latest\n      options: --privileged\n    steps:\n      - run: npm test\n";
    const r = run([{ path: ".github/workflows/ci.yaml", content: workflow }]);
    expect(r.findings.filter((f) => f.ruleId.startsWith("k8s/") || f.ruleId.startsWith("image/"))).toEqual([]);
  });

  it("locates findings in later documents of a multi-document file", () => {
    const r = run([{ path: "multi.yaml", content: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n${PRIVILEGED_POD}` }]);
    const f = r.findings.find((x) => x.ruleId === "k8s/privileged-container");
    expect(f).toMatchObject({ line: 16, column: 21, endLine: 16, endColumn: 25, path: "spec.containers[0].securityContext.privileged" });
    expect(f!.resource).toEqual({ apiVersion: "v1", kind: "Pod", namespace: "tools", name: "debug" });
  });
});

describe("List documents", () => {
  const LIST = [
    "apiVersion: v1",
    "kind: List",
    "items:",
    "  - apiVersion: v1",
    "    kind: Secret",
    "    metadata: {name: db, namespace: app}",
    "    stringData:",
    "      password: Wq9-rT5-zLp2-Xv8",
    "  - apiVersion: v1",
    "    kind: Pod",
    "    metadata: {name: debug, namespace: app}",
    "    spec:",
    "      containers:",
    "        - name: sh",
    "          image: busybox:1.36",
    "          securityContext: {privileged: true}",
    "---",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata: {name: after}",
    "",
  ].join("\n");

  it("judges each item of a List as a document of its own, at its lines", () => {
    const r = run([{ path: "apps/list.yaml", content: LIST }]);
    const secret = r.findings.find((f) => f.ruleId === "secrets/plaintext-secret");
    expect(secret).toMatchObject({ file: "apps/list.yaml", line: 8, path: "stringData" });
    expect(secret!.resource).toEqual({ apiVersion: "v1", kind: "Secret", namespace: "app", name: "db" });
    const privileged = r.findings.find((f) => f.ruleId === "k8s/privileged-container");
    expect(privileged).toMatchObject({ line: 16, path: "spec.containers[0].securityContext.privileged" });
    expect(privileged!.resource).toMatchObject({ kind: "Pod", name: "debug" });
  });

  it("gives the items indexes that rise with position; the documents after the List move up", () => {
    const docs = parseYamlFile("apps/list.yaml", LIST).docs;
    expect(docs.map((d) => [d.index, d.resource.kind, d.locate([]).line])).toEqual([
      [0, "Secret", 4],
      [1, "Pod", 9],
      [2, "ConfigMap", 18],
    ]);
    expect(docs[1]!.contains(docs[1]!.spanOf(["spec"])[0])).toBe(true);
    expect(docs[0]!.contains(docs[1]!.spanOf(["spec"])[0])).toBe(false);
  });

  it("leaves a document whose items are not a list as it is", () => {
    const docs = parseYamlFile("odd.yaml", "apiVersion: example.com/v1\nkind: ShoppingList\nitems: eggs\n").docs;
    expect(docs.map((d) => d.resource.kind)).toEqual(["ShoppingList"]);
  });
});

describe("YAML merge keys", () => {
  it("applies `<<: *anchor` as Kubernetes tooling does, and points at where the merged value is written", () => {
    const pod = [
      "x-privileged: &priv", // 1
      "  privileged: true", // 2
      "---",
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: sneaky, namespace: apps}",
      "spec:",
      "  containers:",
      "    - name: app",
      "      image: ghcr.io/acme/app:1.0.0",
      "      securityContext:",
      "        <<: &inline", // 12
      "          privileged: true", // 13
      "        runAsNonRoot: true",
      "",
    ].join("\n");
    const r = run([{ path: "apps/pod.yaml", content: pod }]);
    const f = r.findings.find((x) => x.ruleId === "k8s/privileged-container");
    expect(f).toMatchObject({ line: 13, column: 23, path: "spec.containers[0].securityContext.privileged" });
  });

  it("leaves `<<` in strings alone", () => {
    const docs = parseYamlFile("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata:\n  run.sh: |\n    cat <<EOF\n    hi\n    EOF\n").docs;
    expect((docs[0]!.value as { data: Record<string, string> }).data["run.sh"]).toBe("cat <<EOF\nhi\nEOF\n");
  });
});

describe("a key written twice in a map", () => {
  it("is judged by its last value, as Argo CD reads it, and the finding points there", () => {
    // Reduced from a public GitOps repository: an AppProject whose clusterResourceWhitelist was written twice.
    const project = [
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: AppProject",
      "metadata: {name: team-apps, namespace: argocd}",
      "spec:",
      "  sourceRepos: [https://git.example.com/team/apps.git]", // 5
      "  destinations: [{namespace: team, server: https://kubernetes.default.svc}]",
      "  clusterResourceWhitelist:",
      "    - group: ''",
      "      kind: Namespace",
      "  clusterResourceWhitelist: # the second one wins", // 10
      "    - group: external-secrets.io",
      "      kind: ClusterSecretStore",
      "    - group: '*'",
      "      kind: '*'", // 14
      "",
    ].join("\n");
    const r = run([{ path: "argocd/projects.yaml", content: project }]);
    const f = r.findings.filter((x) => x.ruleId === "argocd/project-cluster-resources-wildcard");
    expect(f.map((x) => [x.line, x.column, x.path])).toEqual([[14, 13, "spec.clusterResourceWhitelist[1].kind"]]);
  });
});

describe("YAML 1.1 booleans (kubectl apply, Argo CD and Helm read yes/on/no/off as booleans)", () => {
  const pod = (privileged: string, hostNetwork: string): string =>
    [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: sneaky, namespace: apps}",
      "spec:",
      `  hostNetwork: ${hostNetwork}`,
      "  containers:",
      "    - name: app",
      "      image: ghcr.io/acme/app:1.0.0",
      "      securityContext:",
      `        privileged: ${privileged}`,
      "",
    ].join("\n");

  it("a plain yes or on is true: privileged: yes is a privileged container", () => {
    const r = run([{ path: "apps/pod.yaml", content: pod("yes", "on") }]);
    expect(r.findings.filter((f) => ["k8s/privileged-container", "k8s/host-namespaces"].includes(f.ruleId)).map((f) => [f.ruleId, f.line])).toEqual([
      ["k8s/privileged-container", 10],
      ["k8s/host-namespaces", 5],
    ]);
  });

  it("quoted, they stay strings (the API server refuses them), and no/off are false", () => {
    for (const [p, h] of [['"yes"', "'on'"], ["no", "off"]] as const) {
      const r = run([{ path: "apps/pod.yaml", content: pod(p, h) }]);
      expect(r.findings.filter((f) => ["k8s/privileged-container", "k8s/host-namespaces"].includes(f.ruleId))).toEqual([]);
    }
  });
});

describe("document classification", () => {
  it.each([
    ["apps/app.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\n", "argocd"],
    ["base/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n", "kubernetes"],
    ["base/kustomization.yaml", "resources: [deploy.yaml]\n", "kustomization"],
    ["base/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n", "kustomization"],
    ["chart/values-prod.yaml", "image:\n  tag: 1.2.3\n", "helm-values"],
    // A directory of values files (`helm -f values/postgresql.yaml`): each file in it is Helm values.
    ["values/postgresql.yaml", "auth:\n  username: app\n", "helm-values"],
    ["clusters/prod/helm-values/grafana.yaml", "adminUser: admin\n", "helm-values"],
    // At any depth: the `values/<env>/<app>.yaml` layout Applications name as `$values/…` (held-out round 13).
    ["values/dev/dynamic-tags/cart.yaml", "image:\n  tag: latest\n", "helm-values"],
    ["values/chart/templates/notes.yaml", "a: 1\n", "other"],
    ["myvalues/app.yaml", "a: 1\n", "other"],
    ["values/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n", "kubernetes"],
    ["renovate.yaml", "extends: [config:base]\n", "other"],
  ])("%s is %s", (path, text, cls) => {
    expect(parseYamlFile(path, text).docs[0]!.class).toBe(cls);
  });
});

describe("raw-text rules on files without a readable document", () => {
  it("still finds a credential in a skipped Helm template and in invalid YAML", () => {
    const token = ["ghp", "_", "Xk9mQ2vR7tL4wZ8pN3sB6yH1cJ5dF0aE2gUi"].join("");
    const tpl = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\nstringData:\n  token: ${token}\n`;
    const broken = `data:\n  token: ${token}\n  list: [unclosed\n`;
    const r = run([
      { path: "chart/templates/secret.yaml", content: tpl },
      { path: "broken.yaml", content: broken },
    ]);
    const hits = r.findings.filter((f) => f.ruleId === "secrets/known-credential");
    expect(hits.map((f) => [f.file, f.line, f.column])).toEqual([
      ["broken.yaml", 2, 10],
      ["chart/templates/secret.yaml", 6, 10],
    ]);
    for (const f of hits) expect(f.message).not.toContain(token.slice(4, 12));
  });
});

describe("a document read with a parse error still commits its credentials", () => {
  const SECRET = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: db", "stringData:", '  DB_PASSWORD: "Vn8#qL2!zR5w"', "type: Opaque", ""];

  it("the credential rules judge what the parser read above a stray line; other rules do not, and the parse error stays", () => {
    const r = run([{ path: "k8s/secret.yaml", content: [...SECRET, "stray line without colon", ""].join("\n") }]);
    expect(r.findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`).sort()).toEqual(["guard/parse-error@9:1", "secrets/plaintext-secret@6:16"]);
    const pod = PRIVILEGED_POD.trimEnd() + "\nstray line without colon\n";
    const broken = run([{ path: "k8s/pod.yaml", content: pod }]);
    expect(broken.findings.map((f) => f.ruleId)).toEqual(["guard/parse-error"]);
  });

  it("keeps broken documents out of the file's objects: what is rendered, applied or compared", () => {
    const file = parseYamlFile("k8s/secret.yaml", [...SECRET, "stray line without colon", ""].join("\n"));
    expect(file.docs).toEqual([]);
    expect(file.problems.map((p) => p.line)).toEqual([9]);
    expect(file.brokenDocs?.map((d) => [d.index, d.resource.kind, d.resource.name])).toEqual([[0, "Secret", "db"]]);
    // A clean file has none; a document that did parse beside a broken one is an object as before.
    expect(parseYamlFile("k8s/ok.yaml", SECRET.join("\n")).brokenDocs).toBeUndefined();
    const two = parseYamlFile("k8s/two.yaml", [...SECRET, "---", "a: [unclosed", ""].join("\n"));
    expect([two.docs.map((d) => d.index), two.brokenDocs?.map((d) => d.index)]).toEqual([[0], [1]]);
  });
});
