import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule, { unsafeScheme } from "./app-unsafe-link.js";

describe("argocd/app-unsafe-link", () => {
  it("flags link annotations and info values with script or non-http schemes", () => {
    const findings = runFixture(rule, "invalid-links.yaml");
    expect(positions(findings)).toEqual([
      { line: 7, column: 40, path: 'metadata.annotations["link.argocd.argoproj.io/dashboard"]', severity: "high" },
      { line: 8, column: 41, path: 'metadata.annotations["link.argocd.argoproj.io/obfuscated"]', severity: "high" },
      { line: 15, column: 14, path: "spec.info[1].value", severity: "high" },
      { line: 17, column: 14, path: "spec.info[2].value", severity: "high" },
      { line: 32, column: 35, path: 'metadata.annotations["link.argocd.argoproj.io/logs"]', severity: "high" },
      { line: 42, column: 38, path: 'spec.template.metadata.annotations["link.argocd.argoproj.io/pod"]', severity: "high" },
      { line: 62, column: 41, path: 'spec.template.metadata.annotations["link.argocd.argoproj.io/region"]', severity: "high" },
      { line: 67, column: 18, path: "spec.template.spec.info[0].value", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Application "web" link annotation link.argocd.argoproj.io/dashboard uses the "javascript:" scheme.',
      'Application "web" link annotation link.argocd.argoproj.io/obfuscated uses the "javascript:" scheme.',
      'Application "web" info[1] value uses the "javascript:" scheme.',
      'Application "web" info[2] value uses the "ftp:" scheme.',
      'Deployment "web" link annotation link.argocd.argoproj.io/logs uses the "file:" scheme.',
      'Deployment "web" pod template link annotation link.argocd.argoproj.io/pod uses the "data:" scheme.',
      'ApplicationSet "regional" template link annotation link.argocd.argoproj.io/region uses the "vbscript:" scheme.',
      'ApplicationSet "regional" template info[0] value uses the "ssh:" scheme.',
    ]);
  });

  it("flags link annotations added to every resource by Kustomize commonAnnotations", () => {
    expect(positions(runFixture(rule, "invalid-kustomization.yaml", { file: "apps/web/kustomization.yaml" }))).toEqual([
      { line: 4, column: 36, path: 'commonAnnotations["link.argocd.argoproj.io/runbook"]', severity: "high" },
    ]);
  });

  it("passes https, http and mailto links, free-text info and templated values", () => {
    expect(runFixture(rule, "valid-links.yaml")).toEqual([]);
  });
});

describe("unsafeScheme", () => {
  it.each([
    ["javascript:alert(1)", true, "javascript"],
    ["\u0000 JAVA\nSCRIPT:alert(1)", true, "javascript"],
    ["ftp://files.example.com", true, "ftp"],
    ["custom-app:open", true, "custom-app"],
    ["https://example.com", true, null],
    ["HTTPS://example.com", true, null],
    ["mailto:a@example.com", true, null],
    ["/relative/path", true, null],
    ["{{url}}", true, null],
    ["javascript:alert(1)", false, "javascript"],
    ["ssh://bastion", false, "ssh"],
    ["Owner: team-a", false, null],
    ["ticket:1234", false, null],
  ])("%j (strict %s) → %s", (value, strict, scheme) => {
    expect(unsafeScheme(value, strict)).toBe(scheme);
  });
});
