import { describe, expect, it } from "@jest/globals";
import { DEFAULT_EXCLUDE_GLOBS, parseConfig } from "../../src/core/config.js";
import { mapSide } from "../../src/core/repository.js";
import { review, scan } from "../../src/core/review.js";
import { toJsonReport } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/pr-comment.js";
import { renderText } from "../../src/report/text.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { PRIVILEGED_POD } from "./fixtures.js";

const now = new Date("2026-11-22T00:00:00Z");
const config = (raw: unknown = {}) => parseConfig(raw, RULE_IDS);
const run = (files: Array<{ path: string; content: string }>, raw: unknown = {}) => scan(files, { config: config(raw), rules: ALL_RULES, now });

describe("Jinja/Ansible templates are skipped with a note, like Helm templates", () => {
  it("skips a {% %}-only template instead of reporting guard/parse-error, and says so", () => {
    const tpl = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{% if web_replicas is defined %}\n  replicas: {{ web_replicas }}\n{% endif %}\n";
    const jinjaOnly = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n{# managed by ansible #}\n";
    const r = run([
      { path: "roles/web/templates/deployment.yaml", content: tpl },
      { path: "roles/web/templates/namespace.yaml", content: jinjaOnly },
    ]);
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual([
      expect.stringMatching(/^roles\/web\/templates\/deployment\.yaml: skipped — Jinja\/Ansible template syntax/),
      expect.stringMatching(/^roles\/web\/templates\/namespace\.yaml: skipped — Jinja\/Ansible template syntax/),
    ]);
  });

  it("still reviews a ConfigMap whose block scalar holds Jinja text", () => {
    const cm = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: argocd-cm",
      "data:",
      "  resource.customizations.health.example.com_Widget: |",
      "    {% raw %}hs = {}{% endraw %}",
      "    {# not a template here #}",
      '  users.anonymous.enabled: "true"',
      "",
    ].join("\n");
    const r = run([{ path: "argocd/argocd-cm.yaml", content: cm }]);
    expect(r.notes).toEqual([]);
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([["argocd/anonymous-access", 9]]);
  });
});

describe("test fixtures are excluded by default", () => {
  const files = [
    { path: "policies/disallow-privileged/.chainsaw-test/bad-pod.yaml", content: PRIVILEGED_POD },
    { path: "tools/validate/testdata/privileged.yaml", content: PRIVILEGED_POD },
    { path: "tests/fixtures/pod.yaml", content: PRIVILEGED_POD },
    { path: "apps/debug/pod.yaml", content: PRIVILEGED_POD },
  ];
  const privileged = (r: ReturnType<typeof run>) => r.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => f.file);

  it("reviews none of them, counts them in a note and reviews the rest", () => {
    const r = run(files);
    expect(privileged(r)).toEqual(["apps/debug/pod.yaml"]);
    expect(r.filesReviewed).toBe(1);
    expect(r.notes).toEqual([
      "3 files excluded by default as test fixtures (policies/disallow-privileged/.chainsaw-test/bad-pod.yaml, tools/validate/testdata/privileged.yaml, tests/fixtures/pod.yaml), see paths.exclude (`paths.excludeDefaults: false` reviews them)",
    ]);
  });

  it("puts the note in every report format", () => {
    const r = run(files);
    expect(toJsonReport(r).notes).toEqual(r.notes);
    expect(renderText(r, { color: false })).toContain("3 files excluded by default");
    expect(renderMarkdown(r)).toContain("3 files excluded by default");
  });

  it("reviews them with paths.excludeDefaults: false, and reviews one that paths.include names", () => {
    const all = run(files, { paths: { excludeDefaults: false } });
    expect(privileged(all)).toHaveLength(4);
    expect(all.notes).toEqual([]);
    const one = run(files, { paths: { include: ["tests/fixtures/**"] } });
    expect(privileged(one).sort()).toEqual(["apps/debug/pod.yaml", "tests/fixtures/pod.yaml"]);
    expect(one.notes).toEqual([expect.stringMatching(/^2 files excluded by default/)]);
  });

  it("keeps user excludes on top of the defaults", () => {
    const r = run(files, { paths: { exclude: ["apps/**"] } });
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual([expect.stringMatching(/^3 files excluded by default/)]);
  });

  it("applies to both sides of a review, so a fixture change is neither new nor fixed", () => {
    const r = review({
      changes: [{ path: "tests/e2e/privileged/00-pod.yaml", status: "modified", base: PRIVILEGED_POD, head: PRIVILEGED_POD.replace("debug", "debug2") }],
      config: config(),
      rules: ALL_RULES,
      now,
    });
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual([expect.stringMatching(/^1 file excluded by default as test fixtures \(tests\/e2e\/privileged\/00-pod\.yaml\)/)]);
  });

  it("does not exclude ordinary GitOps paths that merely look similar", () => {
    const lookalikes = ["clusters/e2e/apps/pod.yaml", "apps/test/pod.yaml", "envs/testing/pod.yaml", "apps/fixtures-api/pod.yaml"];
    const r = run(lookalikes.map((path) => ({ path, content: PRIVILEGED_POD })));
    expect(privileged(r).sort()).toEqual([...lookalikes].sort());
    expect(r.notes).toEqual([]);
    expect(DEFAULT_EXCLUDE_GLOBS.length).toBeGreaterThan(0);
  });
});

describe("the inputs of test suites are excluded by default (Kyverno CLI, chainsaw, gator samples)", () => {
  const KYVERNO_TEST = "apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: disallow-privileged\npolicies:\n- policy.yaml\nresources:\n- resource.yaml\n";
  const privileged = (r: ReturnType<typeof run>) => r.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => f.file);

  it("leaves out the files beside a kyverno-test.yaml and the samples of a Gatekeeper policy, and judges the rest", () => {
    const r = run([
      { path: "policies/disallow-privileged/kyverno-test.yaml", content: KYVERNO_TEST },
      { path: "policies/disallow-privileged/resource.yaml", content: PRIVILEGED_POD },
      { path: "library/privileged-containers/template.yaml", content: "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata:\n  name: k8spspprivilegedcontainer\n" },
      { path: "library/privileged-containers/suite.yaml", content: "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata:\n  name: privileged-containers\n" },
      { path: "library/privileged-containers/samples/psp-privileged-container/example_disallowed.yaml", content: PRIVILEGED_POD },
      { path: "apps/debug/pod.yaml", content: PRIVILEGED_POD },
    ]);
    expect(privileged(r)).toEqual(["apps/debug/pod.yaml"]);
    expect(r.notes).toEqual([expect.stringMatching(/^3 files excluded by default as test fixtures \(policies\/disallow-privileged\/kyverno-test\.yaml, /)]);
  });

  it("knows a suite from the tree listing when the pull request changes only its input", () => {
    const resource = "policies/disallow-privileged/resource.yaml";
    const side = mapSide(new Map([[resource, PRIVILEGED_POD]]), [resource, "policies/disallow-privileged/kyverno-test.yaml", "policies/disallow-privileged/policy.yaml"]);
    // (The base is not privileged: a base that only named the pod otherwise would make the finding existing, a rename.)
    const change = { path: resource, status: "modified" as const, base: PRIVILEGED_POD.replace("privileged: true", "privileged: false"), head: PRIVILEGED_POD };
    const r = review({ changes: [change], config: config(), rules: ALL_RULES, now, repository: { head: side, base: side } });
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual([expect.stringMatching(/^1 file excluded by default as test fixtures \(policies\/disallow-privileged\/resource\.yaml\)/)]);
    // Without the listing, a lone input is judged: nothing says it is a suite's.
    const alone = review({ changes: [change], config: config(), rules: ALL_RULES, now });
    expect(alone.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => [f.file, f.status])).toEqual(expect.arrayContaining([[resource, "new"]]));
  });

  it("keeps judging a manifest when the change adds a suite beside it: a change cannot exclude its own manifests", () => {
    const deployment = "apps/web/pod.yaml";
    const marker = "apps/web/kyverno-test.yaml";
    const base = mapSide(new Map([[deployment, PRIVILEGED_POD.replace("privileged: true", "privileged: false")]]));
    const head = mapSide(new Map([[deployment, PRIVILEGED_POD], [marker, KYVERNO_TEST]]));
    const r = review({
      changes: [
        { path: deployment, status: "modified", base: base.read(deployment)!, head: PRIVILEGED_POD },
        { path: marker, status: "added", head: KYVERNO_TEST },
      ],
      config: config(),
      rules: ALL_RULES,
      now,
      repository: { head, base },
    });
    expect(r.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => [f.file, f.status])).toEqual([[deployment, "new"]]);
    expect(r.notes).toEqual([expect.stringMatching(/^1 file excluded by default as test fixtures \(apps\/web\/kyverno-test\.yaml\)/)]);
  });

  it("leaves out a new policy's test and its inputs, added together", () => {
    const files = { "policies/new/kyverno-test.yaml": KYVERNO_TEST, "policies/new/resource.yaml": PRIVILEGED_POD };
    const head = mapSide(new Map(Object.entries(files)));
    const r = review({
      changes: Object.entries(files).map(([path, content]) => ({ path, status: "added" as const, head: content })),
      config: config(),
      rules: ALL_RULES,
      now,
      repository: { head, base: mapSide(new Map()) },
    });
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual([expect.stringMatching(/^2 files excluded by default as test fixtures/)]);
  });
});

describe("policies, CRDs and compositions that embed pod fields are not judged as pods or Roles", () => {
  const FILES: Record<string, string> = {
    "policies/disallow-privileged.yaml": "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: disallow-privileged-containers\n  annotations:\n    policies.kyverno.io/title: Disallow Privileged Containers\n    policies.kyverno.io/category: Pod Security Standards (Baseline)\nspec:\n  validationFailureAction: Audit\n  background: true\n  rules:\n    - name: privileged-containers\n      match:\n        any:\n        - resources:\n            kinds:\n              - Pod\n      validate:\n        message: >-\n          Privileged mode is disallowed. The fields spec.containers[*].securityContext.privileged\n          and spec.initContainers[*].securityContext.privileged must be unset or set to `false`.\n        pattern:\n          spec:\n            =(ephemeralContainers):\n              - =(securityContext):\n                  =(privileged): \"false\"\n            =(initContainers):\n              - =(securityContext):\n                  =(privileged): \"false\"\n            containers:\n              - =(securityContext):\n                  =(privileged): \"false\"\n",
    "policies/generate-debug.yaml": "apiVersion: kyverno.io/v2beta1\nkind: ClusterPolicy\nmetadata:\n  name: generate-debug\nspec:\n  rules:\n  - name: debug-deployment\n    match:\n      any:\n      - resources:\n          kinds:\n          - Namespace\n          selector:\n            matchLabels:\n              debug: \"true\"\n    generate:\n      apiVersion: apps/v1\n      kind: Deployment\n      name: debug\n      namespace: \"{{request.object.metadata.name}}\"\n      data:\n        spec:\n          selector:\n            matchLabels:\n              app: debug\n          template:\n            metadata:\n              labels:\n                app: debug\n            spec:\n              hostNetwork: true\n              containers:\n              - name: netshoot\n                image: nicolaka/netshoot:latest\n                securityContext:\n                  privileged: true\n",
    "policies/add-network-policy.yaml": "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: add-networkpolicy\nspec:\n  rules:\n  - name: default-deny\n    match:\n      any:\n      - resources:\n          kinds:\n          - Namespace\n    generate:\n      apiVersion: networking.k8s.io/v1\n      kind: NetworkPolicy\n      name: default-deny\n      namespace: \"{{request.object.metadata.name}}\"\n      synchronize: true\n      data:\n        spec:\n          podSelector: {}\n          policyTypes:\n          - Ingress\n          - Egress\n  - name: admin-binding\n    match:\n      any:\n      - resources:\n          kinds:\n          - Namespace\n    generate:\n      apiVersion: rbac.authorization.k8s.io/v1\n      kind: RoleBinding\n      name: ns-admin\n      namespace: \"{{request.object.metadata.name}}\"\n      data:\n        roleRef:\n          apiGroup: rbac.authorization.k8s.io\n          kind: ClusterRole\n          name: admin\n        subjects:\n        - kind: Group\n          name: \"{{request.object.metadata.labels.team}}\"\n",
    "crds/widgets.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget\n    plural: widgets\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              image:\n                type: string\n              privileged:\n                type: boolean\n              hostPath:\n                type: string\n              hostNetwork:\n                type: boolean\n              template:\n                type: object\n                properties:\n                  spec:\n                    type: object\n                    properties:\n                      containers:\n                        type: array\n                        items:\n                          type: object\n                          properties:\n                            image:\n                              type: string\n                            securityContext:\n                              type: object\n                              properties:\n                                privileged:\n                                  type: boolean\n                x-kubernetes-preserve-unknown-fields: true\n",
    "crossplane/composition.yaml": "apiVersion: apiextensions.crossplane.io/v1\nkind: Composition\nmetadata:\n  name: xpostgresqlinstances.aws.database.example.org\nspec:\n  writeConnectionSecretsToNamespace: crossplane-system\n  compositeTypeRef:\n    apiVersion: database.example.org/v1alpha1\n    kind: XPostgreSQLInstance\n  resources:\n  - name: rdsinstance\n    base:\n      apiVersion: database.aws.crossplane.io/v1beta1\n      kind: RDSInstance\n      spec:\n        forProvider:\n          region: us-east-1\n          dbInstanceClass: db.t2.small\n          masterUsername: masteruser\n          engine: postgres\n          engineVersion: \"12\"\n          skipFinalSnapshotBeforeDeletion: true\n          publiclyAccessible: true\n        writeConnectionSecretToRef:\n          namespace: crossplane-system\n    patches:\n    - fromFieldPath: \"metadata.uid\"\n      toFieldPath: \"spec.writeConnectionSecretToRef.name\"\n      transforms:\n      - type: string\n        string:\n          fmt: \"%s-postgresql\"\n    - fromFieldPath: \"spec.parameters.storageGB\"\n      toFieldPath: \"spec.forProvider.allocatedStorage\"\n  - name: debug-pod\n    base:\n      apiVersion: kubernetes.crossplane.io/v1alpha2\n      kind: Object\n      spec:\n        forProvider:\n          manifest:\n            apiVersion: apps/v1\n            kind: Deployment\n            metadata:\n              namespace: default\n            spec:\n              selector:\n                matchLabels:\n                  app: pgadmin\n              template:\n                metadata:\n                  labels:\n                    app: pgadmin\n                spec:\n                  containers:\n                  - name: pgadmin\n                    image: dpage/pgadmin4:latest\n                    securityContext:\n                      privileged: true\n    patches:\n    - fromFieldPath: metadata.name\n      toFieldPath: spec.forProvider.manifest.metadata.name\n",
    "platform/gatekeeper/assign.yaml": "apiVersion: mutations.gatekeeper.sh/v1\nkind: Assign\nmetadata:\n  name: k8spspdefaultallowprivilegeescalation\nspec:\n  applyTo:\n  - groups: [\"\"]\n    kinds: [\"Pod\"]\n    versions: [\"v1\"]\n  match:\n    scope: Namespaced\n    kinds:\n    - apiGroups: [\"*\"]\n      kinds: [\"Pod\"]\n  location: \"spec.containers[name:*].securityContext.privileged\"\n  parameters:\n    assign:\n      value: false\n",
  };

  it("reports nothing on a Kyverno pattern or generate rule, a CRD schema, a Composition base or a Gatekeeper Assign", () => {
    const r = run(Object.entries(FILES).map(([path, content]) => ({ path, content })));
    expect(r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([]);
    expect(r.notes).toEqual([]);
  });

  it("still judges a real Pod reviewed with them", () => {
    const r = run([...Object.entries(FILES).map(([path, content]) => ({ path, content })), { path: "apps/debug/pod.yaml", content: PRIVILEGED_POD }]);
    expect(r.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => `${f.file}:${f.line}`)).toEqual(["apps/debug/pod.yaml:11"]);
  });
});
