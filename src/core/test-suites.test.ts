import { describe, expect, it } from "@jest/globals";
import { ALL_RULES, RULE_IDS } from "../rules/index.js";
import { parseConfig } from "./config.js";
import { Policy } from "./policy.js";
import { TestSuiteInputs } from "./test-suites.js";

const held = (paths: string[]) => {
  const suites = new TestSuiteInputs(paths);
  return paths.filter((p) => suites.holds(p));
};

describe("TestSuiteInputs: the inputs of test suites, from a tree listing", () => {
  it("holds the files beside a Kyverno CLI test (kyverno/policies layout), not those of other directories", () => {
    const dir = "pod-security/baseline/disallow-host-namespaces";
    const paths = [
      `${dir}/disallow-host-namespaces.yaml`,
      `${dir}/kyverno-test.yaml`,
      `${dir}/resource.yaml`,
      `${dir}/pod-bad.yaml`,
      `${dir}/podcontroller-bad.yaml`,
      "pod-security/baseline/disallow-privileged/disallow-privileged.yaml",
      "pod-security/baseline/disallow-privileged/pod-bad.yaml",
      "apps/web/deployment.yaml",
    ];
    expect(held(paths)).toEqual([`${dir}/disallow-host-namespaces.yaml`, `${dir}/kyverno-test.yaml`, `${dir}/resource.yaml`, `${dir}/pod-bad.yaml`, `${dir}/podcontroller-bad.yaml`]);
  });

  it("holds a chainsaw test's directory, only that directory (not its subdirectories or parents)", () => {
    const paths = ["e2e/require-labels/chainsaw-test.yml", "e2e/require-labels/bad-pod.yaml", "e2e/require-labels/more/pod.yaml", "e2e/pod.yaml"];
    expect(held(paths)).toEqual(["e2e/require-labels/chainsaw-test.yml", "e2e/require-labels/bad-pod.yaml"]);
  });

  it("does not hold a directory with a kustomization: Argo CD applies it, whatever test sits beside it", () => {
    for (const k of ["kustomization.yaml", "kustomization.yml", "Kustomization"]) {
      expect(held(["apps/web/kyverno-test.yaml", `apps/web/${k}`, "apps/web/deployment.yaml"])).toEqual([]);
    }
  });

  it("holds a marker at the repository root's own files, as a directory like any other", () => {
    expect(held(["kyverno-test.yaml", "resource.yaml", "apps/pod.yaml"])).toEqual(["kyverno-test.yaml", "resource.yaml"]);
  });

  it("holds samples/ below a Gatekeeper policy: template.yaml with the gator suite.yaml or the Artifact Hub package", () => {
    const lib = "library/pod-security-policy/privileged-containers";
    const hub = "artifacthub/library/general/allowedrepos/1.0.1";
    const paths = [
      `${lib}/template.yaml`,
      `${lib}/suite.yaml`,
      `${lib}/kustomization.yaml`,
      `${lib}/samples/psp-privileged-container/constraint.yaml`,
      `${lib}/samples/psp-privileged-container/example_disallowed.yaml`,
      `${lib}/samples/psp-privileged-container/disallowed_ephemeral.yaml`,
      `${hub}/template.yaml`,
      `${hub}/artifacthub-pkg.yml`,
      `${hub}/samples/repo-must-be-openpolicyagent/example_disallowed_both.yaml`,
    ];
    expect(held(paths)).toEqual(paths.filter((p) => p.includes("/samples/")));
  });

  it("does not take any suite.yaml, template.yaml or samples/ for a Gatekeeper policy", () => {
    const paths = [
      "apps/team-a/suite.yaml",
      "apps/team-a/samples/pod.yaml",
      "backstage/templates/service/template.yaml",
      "backstage/templates/service/samples/deployment.yaml",
      "apps/samples/demo/pod.yaml",
      "gk/policy/template.yaml",
      "gk/policy/suite.yaml",
      "gk/policy/deployment.yaml",
    ];
    expect(held(paths)).toEqual([]);
  });

  it("holds the NN- steps of a kuttl test case (a directory with an NN-assert or NN-errors file), not ordered GitOps files", () => {
    const paths = [
      "e2e/operator/upgrade/00-install.yaml",
      "e2e/operator/upgrade/00-assert.yaml",
      "e2e/operator/upgrade/01-patch.yaml",
      "e2e/operator/upgrade/README.yaml",
      "e2e/operator/broken/02-errors.yml",
      "e2e/operator/broken/01-pod.yaml",
      "clusters/staging/apps/api/00-namespace.yaml",
      "clusters/staging/apps/api/01-deployment.yaml",
      "clusters/dev/00-assert.yaml",
      "clusters/dev/kustomization.yaml",
      "clusters/dev/01-deployment.yaml",
    ];
    expect(held(paths)).toEqual(["e2e/operator/upgrade/00-install.yaml", "e2e/operator/upgrade/00-assert.yaml", "e2e/operator/upgrade/01-patch.yaml", "e2e/operator/broken/02-errors.yml", "e2e/operator/broken/01-pod.yaml"]);
  });

  it("names the paths that decide a file, for a caller that holds only some files of the tree", () => {
    expect(TestSuiteInputs.markersFor("a/samples/x/pod.yaml")).toEqual(
      expect.arrayContaining(["a/samples/x/kyverno-test.yaml", "a/samples/x/chainsaw-test.yaml", "a/samples/x/kustomization.yaml", "a/suite.yaml", "a/artifacthub-pkg.yml", "a/template.yaml"]),
    );
    expect(TestSuiteInputs.markersFor("resource.yaml")).toEqual(expect.arrayContaining(["kyverno-test.yaml", "kustomization.yaml"]));
    expect(TestSuiteInputs.markersFor("resource.yaml").some((p) => p.includes("template.yaml") || p.includes("assert"))).toBe(false);
    expect(TestSuiteInputs.markersFor("e2e/case/01-install.yaml")).toEqual(expect.arrayContaining(["e2e/case/01-assert.yaml", "e2e/case/01-errors.yml"]));
  });
});

describe("Policy.excludedByDefault with test suites", () => {
  const suites = new TestSuiteInputs(["policies/p/kyverno-test.yaml", "policies/p/resource.yaml"]);
  const policy = (raw: unknown = {}) => new Policy(parseConfig(raw, RULE_IDS), ALL_RULES);

  it("excludes a suite's inputs by default, and only when told the suites", () => {
    expect(policy().excludedByDefault("policies/p/resource.yaml", suites)).toBe(true);
    expect(policy().excludedByDefault("policies/p/resource.yaml")).toBe(false);
  });

  it("reviews them with paths.excludeDefaults: false, or when paths.include names them", () => {
    expect(policy({ paths: { excludeDefaults: false } }).excludedByDefault("policies/p/resource.yaml", suites)).toBe(false);
    expect(policy({ paths: { include: ["policies/**"] } }).excludedByDefault("policies/p/resource.yaml", suites)).toBe(false);
  });
});
