/**
 * `scan` of a repository holding what real GitOps repositories hold besides manifests Argo CD applies as written:
 * Helm charts, Jinja/Ansible and ytt templates, Flux `${VAR}` substitutions, kpt setters, CI and tool configs, test
 * fixtures. No parse errors and no findings on what is not applied as written; every manifest that is applied as
 * written is still judged. The decisions are in the README ("CLI").
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { PRIVILEGED_POD } from "./engine/fixtures.js";
import { cli, tree } from "./helpers/cli.js";

const pod = (name: string) => PRIVILEGED_POD.replace("name: debug", `name: ${name}`);

const FILES: Record<string, string> = {
  // Helm chart: templates with actions at block positions, inside quotes that they break, or only inside quotes.
  "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: postgresql\n    version: 12.x.x\n    repository: https://charts.bitnami.com/bitnami\n",
  "charts/web/templates/deployment.yaml":
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "web.fullname" . }}\n  labels:\n    {{- include "web.labels" . | nindent 4 }}\nspec:\n  {{- if not .Values.autoscaling.enabled }}\n  replicas: {{ .Values.replicaCount }}\n  {{- end }}\n  template:\n    spec:\n      {{- with .Values.imagePullSecrets }}\n      imagePullSecrets:\n        {{- toYaml . | nindent 8 }}\n      {{- end }}\n      containers:\n        - name: web\n          securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}\n',
  "charts/web/templates/job.yaml":
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: "{{ include "web.fullname" . }}-migrate"\nspec:\n  template:\n    spec:\n      containers:\n        - name: migrate\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default "latest" }}"\n',
  "charts/web/templates/secret.yaml": 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: "{{ .Release.Name }}-db"\ndata:\n  password: "{{ .Values.db.password | b64enc }}"\n',
  "charts/web/templates/_helpers.tpl": '{{- define "web.fullname" -}}\n{{ .Release.Name }}\n{{- end }}\n',
  "charts/web/templates/NOTES.txt": "{{- if .Values.ingress.enabled }}\nhttp://{{ .host }}\n{{- end }}\n",
  "charts/web/templates/tests/test-connection.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{ include "web.fullname" . }}-test"\n',
  "charts/web/tests/deployment_test.yaml": "suite: deployment\ntemplates: [deployment.yaml]\ntests:\n  - it: sets the image\n    set:\n      db.password: hunter2hunter2\n    asserts:\n      - isKind:\n          of: Deployment\n",
  "charts/plain/templates/pod.yaml": pod("chart-plain"),
  // Jinja/Ansible, cookiecutter, helmfile.
  "ansible/site.yml": '- hosts: k8s\n  tasks:\n    - name: render\n      ansible.builtin.template:\n        src: "{{ item }}.j2"\n        dest: "/etc/kubernetes/{{ item }}"\n',
  "ansible/roles/app/templates/configmap.yml": '{# managed by ansible #}\napiVersion: v1\nkind: ConfigMap\ndata:\n{% for k, v in config.items() %}\n  {{ k }}: "{{ v }}"\n{% endfor %}\n',
  "cookiecutter/{{cookiecutter.slug}}/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ cookiecutter.slug }}\n",
  "helmfile.yaml": 'releases:\n  - name: db\n    namespace: {{ .Environment.Name }}\n    set:\n      - name: auth.password\n        value: {{ requiredEnv "DB_PASSWORD" }}\n',
  // ytt.
  "ytt/deployment.yml":
    '#@ load("@ytt:data", "data")\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: #@ data.values.name\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: #@ data.values.image\n          #@ if data.values.debug:\n          securityContext:\n            privileged: true\n          #@ end\n',
  "ytt/overlay.yml": '#@ load("@ytt:overlay", "overlay")\n#@overlay/match by=overlay.subset({"kind": "Deployment"})\n---\nspec:\n  template:\n    spec:\n      hostNetwork: true\n',
  // Flux postBuild substitutions and kpt setters: applied (after substitution) as written, so judged.
  "clusters/home/apps/podinfo.yaml": pod("flux-${APP:=podinfo}").replace("busybox:1.36", "ghcr.io/stefanprodan/podinfo:${PODINFO_VERSION}"),
  "clusters/home/apps/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\nstringData:\n  SECRET_DOMAIN: ${SECRET_DOMAIN}\n  ADMIN_PASSWORD: ${ADMIN_PASSWORD}\n",
  "kpt/nginx/deployment.yaml": pod("kpt-nginx").replace("busybox:1.36", "nginx:1.14.1 # kpt-set: ${image}:${tag}"),
  // CI and tool configs.
  ".github/workflows/ci.yml":
    "name: ci\non:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n        image: postgres:latest\n        env:\n          POSTGRES_PASSWORD: postgres\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo ${{ github.sha }}\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n",
  ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n",
  ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.5.0\n    hooks:\n      - id: check-yaml\n        exclude: ^charts/.*/templates/\n",
  "mkdocs.yml": "site_name: ops\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nextra:\n  analytics:\n    property: !ENV GOOGLE_ANALYTICS_KEY\n",
  "docker-compose.yml": "services:\n  db:\n    image: postgres:latest\n    privileged: true\n    environment:\n      POSTGRES_PASSWORD: example-password-123\n",
  "Taskfile.yml": "version: '3'\ntasks:\n  apply:\n    cmds:\n      - kubectl apply -k {{.CLI_ARGS}}\n",
  ".gitlab-ci.yml": ".defaults: &defaults\n  image: alpine:latest\ndeploy:\n  <<: *defaults\n  script:\n    - !reference [.setup, script]\n  variables:\n    POSTGRES_PASSWORD: runner-password\n",
  ".goreleaser.yaml": "builds:\n  - ldflags:\n      - -X main.version={{.Version}}\ndockers:\n  - image_templates:\n      - 'ghcr.io/example/app:{{ .Tag }}'\n",
  "skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nmetadata:\n  name: app\nmanifests:\n  rawYaml: [k8s/*.yaml]\n",
  "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ops\nspec:\n  type: service\n",
  // Test fixtures: excluded by default.
  "tests/e2e/basic/00-install.yaml": pod("kuttl-e2e"),
  "tests/policy/privileged.yaml": pod("policy-fixture"),
  "test/kuttl/smoke/00-install.yaml": pod("kuttl-smoke"),
  "test/kuttl/smoke/01-assert.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kuttl-smoke\nstatus:\n  phase: Running\n",
  "e2e/upgrade/02-errors.yaml": pod("kuttl-errors"),
  "test/conformance/chainsaw/privileged/bad.yaml": pod("chainsaw-bad"),
  "policies/require-probes/.kyverno-test/resource.yaml": pod("kyverno-bad"),
  "policy/testdata/privileged.yaml": pod("conftest-bad"),
  // JSON: a manifest is applied by Argo CD's directory sources and judged; dashboards and tool configs are not.
  "apps/json/pod.json": `${JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "json-pod" }, spec: { containers: [{ name: "c", image: "busybox:1.36", securityContext: { privileged: true } }] } }, null, 2)}\n`,
  "dashboards/api.json": JSON.stringify({ title: "API", panels: [{ type: "graph", datasource: { type: "prometheus" } }], kind: "dashboard" }),
  "renovate.json": '{"extends": ["config:recommended"], "kubernetes": {"fileMatch": ["\\\\.yaml$"]}}\n',
  ".vscode/settings.json": '{"yaml.schemas": {"kubernetes": "*.yaml"}}\n',
  // Applied as written (an Application can point at any of them): judged.
  "examples/guestbook/pod.yaml": pod("examples"),
  "hack/dev/pod.yaml": pod("hack"),
  "docs/examples/pod.yaml": pod("docs"),
  "clusters/test/apps/pod.yaml": pod("env-test"),
  "e2e/apps/pod.yaml": pod("env-e2e"),
};

interface Finding {
  ruleId: string;
  file: string;
  line: number;
  resource: { name: string | null };
}

let findings: Finding[];
let notes: string[];

beforeAll(async () => {
  const r = await cli(["scan", ".", "--format", "json"], tree(FILES));
  expect(r.code).toBe(1);
  ({ findings, notes } = JSON.parse(r.stdout) as { findings: Finding[]; notes: string[] });
});

const filesWith = (rule: string) => [...new Set(findings.filter((f) => f.ruleId === rule).map((f) => f.file))].sort();

describe("scan of a repository's templates, tool configs and fixtures", () => {
  it("reports no parse error", () => {
    expect(findings.filter((f) => f.ruleId === "guard/parse-error").map((f) => `${f.file}:${f.line}`)).toEqual([]);
  });

  it("judges exactly the manifests applied as written", () => {
    expect(filesWith("k8s/privileged-container")).toEqual(
      ["apps/json/pod.json", "charts/plain/templates/pod.yaml", "clusters/home/apps/podinfo.yaml", "clusters/test/apps/pod.yaml", "docs/examples/pod.yaml", "e2e/apps/pod.yaml", "examples/guestbook/pod.yaml", "hack/dev/pod.yaml", "kpt/nginx/deployment.yaml"].sort(),
    );
  });

  it("finds nothing in CI and tool configs, Helm chart metadata and unit tests, or substituted and templated values", () => {
    const judged = new Set(["apps/json/pod.json", "charts/plain/templates/pod.yaml", "clusters/home/apps/podinfo.yaml", "clusters/test/apps/pod.yaml", "docs/examples/pod.yaml", "e2e/apps/pod.yaml", "examples/guestbook/pod.yaml", "hack/dev/pod.yaml", "kpt/nginx/deployment.yaml"]);
    expect(findings.filter((f) => !judged.has(f.file)).map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([]);
    // `${PODINFO_VERSION}` is no mutable tag, and `${ADMIN_PASSWORD}` no plaintext credential.
    expect(findings.filter((f) => f.ruleId.startsWith("image/") || f.ruleId.startsWith("secrets/"))).toEqual([]);
  });

  it("skips Helm, Jinja and ytt templates with one note each, naming the tool that renders them", () => {
    const skipped = notes.filter((n) => n.includes(": skipped — ")).map((n) => n.replace(/ — (\S+).*/, " $1")).sort();
    expect(skipped).toEqual(
      [
        "ansible/roles/app/templates/configmap.yml: skipped Jinja/Ansible",
        "cookiecutter/{{cookiecutter.slug}}/deployment.yaml: skipped Helm/Go",
        "helmfile.yaml: skipped Helm/Go",
        "ytt/deployment.yml: skipped ytt",
        "ytt/overlay.yml: skipped ytt",
      ].sort(),
    );
  });

  it("reads a chart's workload templates for their literal settings only: helm create's Deployment gives no finding", () => {
    expect(notes.filter((n) => n.includes(": read for literal settings")).map((n) => n.slice(0, n.indexOf(":"))).sort()).toEqual(["charts/web/templates/deployment.yaml", "charts/web/templates/job.yaml"]);
    expect(findings.filter((f) => f.file.startsWith("charts/web/"))).toEqual([]);
  });

  it("leaves test fixtures out by default: tests/, kuttl and chainsaw suites, kuttl assert and errors files", () => {
    expect(notes).toContain(
      "10 files excluded by default as test fixtures (charts/web/templates/tests/test-connection.yaml, charts/web/tests/deployment_test.yaml, e2e/upgrade/02-errors.yaml, policies/require-probes/.kyverno-test/resource.yaml, policy/testdata/privileged.yaml and 5 more), see paths.exclude (`paths.excludeDefaults: false` reviews them)",
    );
  });

  it("still finds a known credential in what it skips or does not judge, never echoing it", async () => {
    const token = ["ghp", "_", "Xk9mQ2vR7tL4wZ8pN3sB6yH1cJ5dF0aE2gUi"].join("");
    const dir = tree({
      "ytt/secret.yml": `#@ load("@ytt:data", "data")\n---\nkind: Secret\nstringData:\n  token: ${token}\n`,
      "charts/x/templates/pod.yaml": `kind: Pod\nmetadata:\n  name: "{{ include "x.name" . }}"\n  annotations:\n    t: ${token}\n`,
      "docker-compose.yml": `services:\n  app:\n    environment:\n      GITHUB_TOKEN: ${token}\n`,
    });
    const r = await cli(["scan", ".", "--format", "json"], dir);
    const hits = (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) => f.ruleId === "secrets/known-credential");
    expect(hits.map((f) => `${f.file}:${f.line}`).sort()).toEqual(["charts/x/templates/pod.yaml:5", "docker-compose.yml:4", "ytt/secret.yml:5"]);
    expect(r.stdout).not.toContain(token.slice(4, 16));
  });
});
