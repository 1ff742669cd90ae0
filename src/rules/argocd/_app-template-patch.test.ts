import { describe, expect, it } from "@jest/globals";
import { positions, runRule } from "../../../test/helpers/rule-tester.js";
import autoPrune from "./app-auto-prune.js";
import destructive from "./app-destructive-sync-options.js";
import passCredentials from "./app-helm-pass-credentials.js";
import { maskTemplateActions } from "../../parse/helm-template.js";

const APPSETS = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: dev
  template:
    metadata:
      name: 'guestbook-{{ .env }}'
    spec:
      project: team-a
      source:
        repoURL: https://github.com/acme/guestbook
        path: 'envs/{{ .env }}'
      destination:
        name: workload-eu-1
        namespace: 'guestbook-{{ .env }}'
  templatePatch: |
    spec:
      syncPolicy:
        automated:
          allowEmpty: true
          prune: true
        syncOptions:
          - CreateNamespace=true
          - Replace=true
      source:
        helm:
          passCredentials: true
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: templated
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: dev
  template:
    metadata:
      name: 'templated-{{ .env }}'
    spec:
      project: team-a
      source:
        repoURL: https://github.com/acme/guestbook
        path: 'envs/{{ .env }}'
      destination:
        name: workload-eu-1
        namespace: team-a
  templatePatch: |
    {{- if .auto }}
    spec:
      syncPolicy:
        automated:
          allowEmpty: {{ .allowEmpty }}
        syncOptions:
          - Replace={{ .replace }}
      source:
        helm:
          passCredentials: {{ .pass | toJson }}
    {{- end }}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: both
spec:
  generators:
    - list:
        elements:
          - env: dev
  template:
    metadata:
      name: 'both-{{env}}'
    spec:
      project: team-a
      source:
        repoURL: https://github.com/acme/guestbook
        path: 'envs/{{env}}'
        helm:
          passCredentials: true
      destination:
        name: workload-eu-1
        namespace: team-a
      syncPolicy:
        automated:
          allowEmpty: true
          prune: true
        syncOptions:
          - Replace=true
  templatePatch: |
    spec:
      syncPolicy:
        automated:
          allowEmpty: true
        syncOptions:
          - Replace=true
      source:
        helm:
          passCredentials: true
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: json-patch
spec:
  generators:
    - list:
        elements:
          - env: dev
  template:
    metadata:
      name: 'json-{{env}}'
    spec:
      project: team-a
      source:
        repoURL: https://github.com/acme/guestbook
        path: 'envs/{{env}}'
      destination:
        name: workload-eu-1
        namespace: team-a
  templatePatch: '{"spec":{"syncPolicy":{"syncOptions":["Force=true"]}}}'
`;

describe("ApplicationSet templatePatch literal values", () => {
  it("reports allowEmpty: true written in a templatePatch at its line in the block (high)", () => {
    const findings = runRule(autoPrune, APPSETS);
    expect(positions(findings)).toEqual([
      { line: 26, column: 23, path: "spec.templatePatch", severity: "high" },
      // "both": the template's own line; the patch's identical value is not reported again.
      { line: 93, column: 23, path: "spec.template.spec.syncPolicy.automated.allowEmpty", severity: "high" },
    ]);
    expect(findings[0]!.message).toBe(
      'ApplicationSet "guestbook" templatePatch allows automated sync to prune every resource when its source renders nothing (allowEmpty: true with prune: true).',
    );
    expect(findings[0]!.identity).toBe("spec.templatePatch.syncPolicy.automated.allowEmpty");
  });

  it("reports a literal Replace=true / Force=true in a templatePatch, block or quoted, but not a templated option", () => {
    const findings = runRule(destructive, APPSETS);
    expect(positions(findings)).toEqual([
      { line: 30, column: 13, path: "spec.templatePatch", severity: "high" },
      { line: 96, column: 13, path: "spec.template.spec.syncPolicy.syncOptions[0]", severity: "high" },
      // A one-line JSON patch has no lines of its own: the patch value.
      { line: 128, column: 18, path: "spec.templatePatch", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ApplicationSet "guestbook" templatePatch syncs with Replace=true: resources are replaced, or deleted and recreated, instead of patched.',
      'ApplicationSet "both" template syncs with Replace=true: resources are replaced, or deleted and recreated, instead of patched.',
      'ApplicationSet "json-patch" templatePatch syncs with Force=true: resources are replaced, or deleted and recreated, instead of patched.',
    ]);
  });

  it("reports helm.passCredentials: true in a templatePatch source (medium)", () => {
    const findings = runRule(passCredentials, APPSETS);
    expect(positions(findings)).toEqual([
      { line: 33, column: 28, path: "spec.templatePatch", severity: "medium" },
      { line: 87, column: 28, path: "spec.template.spec.source.helm.passCredentials", severity: "medium" },
    ]);
    expect(findings[0]!.message).toBe('ApplicationSet "guestbook" templatePatch source passes Helm repository credentials to every domain (helm.passCredentials: true).');
  });
});

describe("maskTemplateActions", () => {
  it("blanks action-only lines and masks inline actions column for column", () => {
    expect(maskTemplateActions("{{- if .x }}\nspec:\n  a: {{ .v }}\n  b: Replace={{.r}}\n{{- end }}")).toBe(
      `${" ".repeat(12)}\nspec:\n  a: ________\n  b: Replace=______\n${" ".repeat(10)}`,
    );
  });
});
