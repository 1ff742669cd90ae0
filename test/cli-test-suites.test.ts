/**
 * `scan` of a policy repository: what a Kyverno CLI test, a chainsaw test, a gator suite or a kuttl case feeds a policy
 * or a test cluster is bad by design and never applied, so it is left out like other test fixtures (README "CLI"),
 * whether the scan lists a directory or is given changed files by name (pre-commit, `scan $(git diff --name-only …)`).
 */
import { describe, expect, it } from "@jest/globals";
import { PRIVILEGED_POD } from "./engine/fixtures.js";
import { cli, tree } from "./helpers/cli.js";

const pod = (name: string) => PRIVILEGED_POD.replace("name: debug", `name: ${name}`);

const FILES: Record<string, string> = {
  "kyverno/disallow-privileged/disallow-privileged.yaml": "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: disallow-privileged\nspec:\n  rules: []\n",
  "kyverno/disallow-privileged/kyverno-test.yaml": "apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\nresources:\n- resource.yaml\n",
  "kyverno/disallow-privileged/resource.yaml": pod("kyverno-bad"),
  "e2e/require-labels/chainsaw-test.yaml": "apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\n",
  "e2e/require-labels/bad-pod.yaml": pod("chainsaw-bad"),
  "gatekeeper/privileged/template.yaml": "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata:\n  name: k8spspprivilegedcontainer\n",
  "gatekeeper/privileged/suite.yaml": "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata:\n  name: privileged\n",
  "gatekeeper/privileged/samples/psp/example_disallowed.yaml": pod("gator-bad"),
  "e2e/operator/upgrade/00-install.yaml": pod("kuttl-step"),
  "e2e/operator/upgrade/00-assert.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kuttl-step\nstatus:\n  phase: Running\n",
  // Applied as written: a kustomization beside the test, and a samples/ directory of an application.
  "apps/web/kustomization.yaml": "resources:\n- pod.yaml\n",
  "apps/web/kyverno-test.yaml": "apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\n",
  "apps/web/pod.yaml": pod("web"),
  "apps/samples/demo/pod.yaml": pod("demo"),
  "clusters/dev/01-pod.yaml": pod("ordered"),
};

interface Finding {
  ruleId: string;
  file: string;
}

const privilegedFiles = (stdout: string) =>
  (JSON.parse(stdout) as { findings: Finding[] }).findings
    .filter((f) => f.ruleId === "k8s/privileged-container")
    .map((f) => f.file)
    .sort();

describe("scan leaves out the inputs of test suites", () => {
  it("in a scanned directory, judging what is applied", async () => {
    const r = await cli(["scan", ".", "--format", "json"], tree(FILES));
    expect(privilegedFiles(r.stdout)).toEqual(["apps/samples/demo/pod.yaml", "apps/web/pod.yaml", "clusters/dev/01-pod.yaml"]);
    expect((JSON.parse(r.stdout) as { notes: string[] }).notes).toContainEqual(expect.stringMatching(/^8 files excluded by default as test fixtures/));
  });

  it("in files named on the command line, from the suite's files on disk beside them", async () => {
    const dir = tree(FILES);
    const named = [
      "kyverno/disallow-privileged/resource.yaml",
      "e2e/require-labels/bad-pod.yaml",
      "gatekeeper/privileged/samples/psp/example_disallowed.yaml",
      "e2e/operator/upgrade/00-install.yaml",
      "apps/web/pod.yaml",
      "clusters/dev/01-pod.yaml",
    ];
    const r = await cli(["scan", ...named, "--format", "json"], dir);
    expect(privilegedFiles(r.stdout)).toEqual(["apps/web/pod.yaml", "clusters/dev/01-pod.yaml"]);
    expect((JSON.parse(r.stdout) as { notes: string[] }).notes).toContainEqual(expect.stringMatching(/^4 files excluded by default as test fixtures \(kyverno\/disallow-privileged\/resource\.yaml, /));
  });
});
