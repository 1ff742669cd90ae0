/**
 * The workloads and RBAC objects of a Helm chart's templates, read for what they write literally (held-out round 21:
 * `privileged: true` added to an in-repo chart's `templates/daemonset.yaml` was missed: the template was skipped).
 * Only the rules that report an explicit setting judge them, at the template's lines and columns; a value an action
 * writes, and a field an `include` / `toYaml` may write, give no finding.
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { review, scan } from "../../src/core/review.js";
import { ALL_RULES } from "../../src/rules/index.js";

const NOW = new Date("2026-12-07T00:00:00Z");
const config = parseConfig({}, ALL_RULES);

function scanFiles(files: Record<string, string>): ReturnType<typeof scan> {
  return scan(Object.entries(files).map(([path, content]) => ({ path, content })), { config, rules: ALL_RULES, now: NOW });
}

/** [rule, line, column] of each finding. */
function findings(files: Record<string, string>): Array<[string, number, number]> {
  return scanFiles(files).findings.map((f) => [f.ruleId, f.line, f.column]);
}

const lines = (...ls: string[]): string => `${ls.join("\n")}\n`;

/** A node agent chart's DaemonSet, as `helm create` writes its Deployment, with a literal privileged security context. */
const DAEMONSET = lines(
  "apiVersion: apps/v1", //                                                   1
  "kind: DaemonSet", //                                                       2
  "metadata:", //                                                             3
  '  name: {{ include "agent.fullname" . }}', //                              4
  "  labels:", //                                                             5
  '    {{- include "agent.labels" . | nindent 4 }}', //                        6
  "spec:", //                                                                 7
  "  selector:", //                                                           8
  "    matchLabels:", //                                                      9
  '      {{- include "agent.selectorLabels" . | nindent 6 }}', //             10
  "  template:", //                                                          11
  "    spec:", //                                                            12
  "      hostPID: true", //                                                  13
  "      hostNetwork: {{ .Values.hostNetwork }}", //                         14
  "      containers:", //                                                    15
  "        - name: {{ .Chart.Name }}", //                                     16
  '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"', // 17
  "          securityContext:", //                                           18
  "            privileged: true", //                                         19
  "            allowPrivilegeEscalation: {{ .Values.ape }}", //              20
  "          {{- if .Values.debug }}", //                                    21
  "            runAsUser: 0", //                                             22
  "          {{- end }}", //                                                 23
  "          volumeMounts:", //                                              24
  "            - name: run", //                                              25
  "              mountPath: /host/run", //                                   26
  "      volumes:", //                                                       27
  "        - name: run", //                                                  28
  "          hostPath:", //                                                  29
  "            path: /var/run/containerd/containerd.sock", //                30
  "        - name: data", //                                                 31
  "          hostPath:", //                                                  32
  "            path: {{ .Values.dataDir }}", //                              33
);

describe("workloads in Helm chart templates, read for their literal settings", () => {
  it("reports the settings a DaemonSet template writes literally, at their lines and columns, and nothing an action writes", () => {
    expect(findings({ "charts/agent/templates/daemonset.yaml": DAEMONSET })).toEqual([
      ["k8s/privileged-container", 19, 25],
      ["k8s/container-runtime-socket", 30, 19],
      ["k8s/host-namespaces", 13, 16],
      ["k8s/run-as-root", 22, 24],
    ]);
  });

  it("says the finding is written in the Helm template, and when Helm renders it", () => {
    const messages = Object.fromEntries(scanFiles({ "charts/agent/templates/daemonset.yaml": DAEMONSET }).findings.map((f) => [f.ruleId, f.message]));
    expect(messages["k8s/privileged-container"]).toMatch(/runs privileged\. Written in the Helm template\.$/);
    expect(messages["k8s/run-as-root"]).toMatch(/\(runAsUser: 0\)\. Written in the Helm template; Helm renders it when the enclosing condition holds\.$/);
  });

  it("notes that the template was read for its literal settings, not skipped", () => {
    expect(scanFiles({ "charts/agent/templates/daemonset.yaml": DAEMONSET }).notes).toEqual([
      "charts/agent/templates/daemonset.yaml: read for literal settings (Helm/Go template syntax): only the settings its DaemonSet writes literally are judged; render it (helm template) to review the rest",
    ]);
  });

  it("stays quiet on helm create's Deployment: no missing-field finding where an include or toYaml may write the field", () => {
    const deployment = lines(
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      '  name: {{ include "app.fullname" . }}',
      "spec:",
      "  {{- if not .Values.autoscaling.enabled }}",
      "  replicas: {{ .Values.replicaCount }}",
      "  {{- end }}",
      "  template:",
      "    spec:",
      "      securityContext:",
      "        {{- toYaml .Values.podSecurityContext | nindent 8 }}",
      "      containers:",
      "        - name: {{ .Chart.Name }}",
      "          securityContext:",
      "            {{- toYaml .Values.securityContext | nindent 12 }}",
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
      "          {{- with .Values.volumeMounts }}",
      "          volumeMounts:",
      "            {{- toYaml . | nindent 12 }}",
      "          {{- end }}",
    );
    const result = scanFiles({ "app/templates/deployment.yaml": deployment });
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([expect.stringMatching(/^app\/templates\/deployment\.yaml: read for literal settings /)]);
  });

  it("judges it by the rules of explicit settings only: a literal hostPort, but no image, probe or resources finding", () => {
    const pod = lines(
      "apiVersion: v1", //                           1
      "kind: Pod", //                                2
      "metadata:", //                                3
      "  name: {{ .Release.Name }}-debug", //        4
      "spec:", //                                    5
      "  containers:", //                            6
      "    - name: debug", //                        7
      "      image: nginx:latest", //                8
      "      ports:", //                             9
      "        - containerPort: 80", //             10
      "          hostPort: 8080", //                11
      "      securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false}", // 12
    );
    expect(findings({ "debug/templates/pod.yaml": pod })).toEqual([["k8s/host-port", 11, 21]]);
  });

  it("does not read a document whose if/else branches write the same key, and reports no parse error", () => {
    const branches = lines(
      "apiVersion: v1",
      "kind: Pod",
      "metadata:",
      "  name: x",
      "spec:",
      "  containers:",
      "    - name: app",
      "      securityContext:",
      "        {{- if .Values.debug }}",
      "        privileged: true",
      "        {{- else }}",
      "        privileged: false",
      "        {{- end }}",
    );
    const result = scanFiles({ "c/templates/pod.yaml": branches });
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([expect.stringMatching(/^c\/templates\/pod\.yaml: skipped — Helm\/Go template syntax/)]);
  });

  it("judges literal * and cluster-admin in RBAC templates, not a role name an action writes", () => {
    const rbac = lines(
      "apiVersion: rbac.authorization.k8s.io/v1", //   1
      "kind: ClusterRole", //                          2
      "metadata:", //                                  3
      '  name: {{ include "op.fullname" . }}', //      4
      "rules:", //                                     5
      "  - apiGroups: ['*']", //                       6
      "    resources: ['*']", //                       7
      "    verbs: ['*']", //                           8
      "---", //                                        9
      "apiVersion: rbac.authorization.k8s.io/v1", //  10
      "kind: ClusterRoleBinding", //                  11
      "metadata:", //                                 12
      '  name: {{ include "op.fullname" . }}', //     13
      "roleRef:", //                                  14
      "  apiGroup: rbac.authorization.k8s.io", //     15
      "  kind: ClusterRole", //                       16
      "  name: cluster-admin", //                     17
      "subjects:", //                                 18
      "  - kind: ServiceAccount", //                  19
      '    name: {{ include "op.sa" . }}', //         20
      "    namespace: {{ .Release.Namespace }}", //   21
      "---", //                                       22
      "apiVersion: rbac.authorization.k8s.io/v1", //  23
      "kind: ClusterRoleBinding", //                  24
      "metadata: {name: other}", //                   25
      "roleRef:", //                                  26
      "  apiGroup: rbac.authorization.k8s.io", //     27
      "  kind: ClusterRole", //                       28
      "  name: {{ .Values.role }}", //                29
      "subjects: [{kind: Group, name: devs}]", //     30
    );
    expect(findings({ "op/templates/rbac.yaml": rbac })).toEqual([
      ["rbac/cluster-admin-binding", 17, 9],
      ["rbac/wildcard-permissions", 6, 17],
    ]);
  });

  it("reads an Argo Rollout and a CronJob: a flow map's literal setting at its column, a literal env secret, never a templated one", () => {
    const rollout = lines(
      "apiVersion: argoproj.io/v1alpha1", //                                            1
      "kind: Rollout", //                                                               2
      "metadata: {name: {{ .Release.Name }}}", //                                       3
      "spec:", //                                                                       4
      "  template:", //                                                                 5
      "    spec:", //                                                                   6
      "      containers:", //                                                           7
      "        - name: web", //                                                         8
      "          securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}", // 9
      "---", //                                                                        10
      "apiVersion: batch/v1", //                                                       11
      "kind: CronJob", //                                                              12
      "metadata: {name: backup}", //                                                   13
      "spec:", //                                                                      14
      "  jobTemplate:", //                                                             15
      "    spec:", //                                                                  16
      "      template:", //                                                            17
      "        spec:", //                                                              18
      "          containers:", //                                                      19
      "            - name: dump", //                                                   20
      "              env:", //                                                         21
      "                - name: DB_PASSWORD", //                                        22
      "                  value: {{ .Values.db.password | quote }}", //                 23
      "                - name: ADMIN_PASSWORD", //                                     24
      "                  value: Sup3rS3cretAdm1n", //                                  25
    );
    expect(findings({ "web/templates/workloads.yaml": rollout })).toEqual([
      ["k8s/privileged-container", 9, 41],
      ["k8s/dangerous-capabilities", 9, 68],
      ["secrets/literal-env-secret", 25, 26],
    ]);
  });

  it("reports a literal privileged: true a pull request adds as new, and keeps it existing across an unrelated edit", () => {
    const base = DAEMONSET.replace("            privileged: true\n", "            readOnlyRootFilesystem: true\n");
    const run = (before: string, after: string): Array<[string, string, number]> =>
      review({ config, rules: ALL_RULES, now: NOW, changes: [{ path: "charts/agent/templates/daemonset.yaml", status: "modified", base: before, head: after }] })
        .findings.filter((f) => f.ruleId === "k8s/privileged-container")
        .map((f) => [f.status, f.ruleId, f.line]);
    expect(run(base, DAEMONSET)).toEqual([["new", "k8s/privileged-container", 19]]);
    const edited = DAEMONSET.replace("mountPath: /host/run", "mountPath: /host/var/run");
    expect(run(DAEMONSET, edited)).toEqual([["existing", "k8s/privileged-container", 19]]);
  });
});
