/**
 * Test suites' inputs found from a tree listing (Kyverno CLI, chainsaw, gator, kuttl): fixtures left out by default
 * (see Policy.excludedByDefault). Pure.
 */
import { directoryOf as dirOf, KUSTOMIZATION_FILE_NAMES as KUSTOMIZATION_NAMES } from "../kustomize/index.js";

const join = (dir: string, name: string): string => (dir === "" ? name : `${dir}/${name}`);

/** Test manifests whose directory holds the test's inputs: the Kyverno CLI's and chainsaw's. */
const SUITE_MARKERS = ["kyverno-test.yaml", "kyverno-test.yml", "chainsaw-test.yaml", "chainsaw-test.yml"];
/** A kuttl test case's assert or errors file (`00-assert.yaml`): its directory's `NN-*` files are the case's steps. */
const KUTTL_CHECK = /^(\d\d)-(?:assert|errors)\.ya?ml$/;
const KUTTL_STEP = /^\d\d-/;
/**
 * A Gatekeeper policy directory (gatekeeper-library layout): the ConstraintTemplate's `template.yaml` beside the gator
 * `suite.yaml` (library/) or the Artifact Hub package's `artifacthub-pkg.yml` (artifacthub/), examples in `samples/`.
 */
const GATOR_SUITES = ["suite.yaml", "artifacthub-pkg.yml"];
const GATOR_TEMPLATE = "template.yaml";
const GATOR_SAMPLES = "samples";
/** The first characters of every name above (and of kuttl's digits). */
const MARKER_FIRST = new Set([..."kcKsat0123456789"].map((ch) => ch.charCodeAt(0)));

/**
 * Test inputs found from a tree listing (paths only, so the CLI and the App decide alike, whichever files a change
 * touches). These are the resources a suite feeds a policy or a test cluster, bad by design (`example_disallowed.yaml`,
 * `pod-bad.yaml`, `resource.yaml`, `00-install.yaml`):
 * - the files beside a Kyverno CLI test (`kyverno-test.yaml`) or a chainsaw test (`chainsaw-test.yaml`): no cluster
 *   serves `cli.kyverno.io` or `chainsaw.kyverno.io` Test, so Argo CD could not sync such a directory as written;
 * - everything under `samples/` beside a Gatekeeper policy (its ConstraintTemplate's `template.yaml` with the gator
 *   `suite.yaml` or the Artifact Hub `artifacthub-pkg.yml`), the gatekeeper-library layout;
 * - the `NN-*` steps of a kuttl test case: a directory with an `NN-assert.yaml` or `NN-errors.yaml` (a partial object
 *   and the state to wait for, never applied; a GitOps directory's `00-namespace.yaml` has none beside it).
 * A kustomization in the directory says it is applied after all: then nothing there is a test's input.
 */
export class TestSuiteInputs {
  private readonly suiteDirs = new Set<string>();
  private readonly gatorDirs = new Set<string>();
  private readonly kuttlDirs = new Set<string>();

  constructor(paths: Iterable<string>) {
    const kustomized = new Set<string>();
    const suites: string[] = [];
    const kuttl: string[] = [];
    const gatorSuites = new Set<string>();
    const templates = new Set<string>();
    for (const path of paths) {
      // Every file of a tree passes here: most are ruled out by their name's first character, without a copy.
      const start = path.lastIndexOf("/") + 1;
      if (!MARKER_FIRST.has(path.charCodeAt(start))) continue;
      const name = path.slice(start);
      if (SUITE_MARKERS.includes(name)) suites.push(dirOf(path));
      else if (KUSTOMIZATION_NAMES.includes(name)) kustomized.add(dirOf(path));
      else if (GATOR_SUITES.includes(name)) gatorSuites.add(dirOf(path));
      else if (name === GATOR_TEMPLATE) templates.add(dirOf(path));
      else if (KUTTL_CHECK.test(name)) kuttl.push(dirOf(path));
    }
    for (const dir of suites) if (!kustomized.has(dir)) this.suiteDirs.add(dir);
    for (const dir of kuttl) if (!kustomized.has(dir)) this.kuttlDirs.add(dir);
    for (const dir of gatorSuites) if (templates.has(dir)) this.gatorDirs.add(dir);
  }

  /** Whether any test suite was found (most repositories have none: nothing to ask per file). */
  get empty(): boolean {
    return this.suiteDirs.size === 0 && this.gatorDirs.size === 0 && this.kuttlDirs.size === 0;
  }

  /** Whether a file is one of the inputs of a suite found in the listing. */
  holds(path: string): boolean {
    if (this.empty) return false;
    const dir = dirOf(path);
    if (this.suiteDirs.has(dir)) return true;
    if (this.kuttlDirs.has(dir) && KUTTL_STEP.test(path.slice(dir === "" ? 0 : dir.length + 1))) return true;
    if (this.gatorDirs.size === 0 || !`/${dir}/`.includes(`/${GATOR_SAMPLES}/`)) return false;
    for (let d = dir; d !== ""; d = dirOf(d)) {
      if (d.slice(d.lastIndexOf("/") + 1) === GATOR_SAMPLES && this.gatorDirs.has(dirOf(d))) return true;
    }
    return false;
  }

  /**
   * The paths whose presence decides whether `path` is a suite's input: what a caller holding only some of a tree's
   * files (`scan` of files named on the command line) looks up before building TestSuiteInputs.
   */
  static markersFor(path: string): string[] {
    const dir = dirOf(path);
    const out = [...SUITE_MARKERS, ...KUSTOMIZATION_NAMES].map((n) => join(dir, n));
    // A kuttl step's own index: `01-pod.yaml` is a step when `01-assert.yaml` or `01-errors.yaml` sits beside it.
    const step = /^(\d\d)-/.exec(path.slice(path.lastIndexOf("/") + 1));
    if (step) out.push(...["assert.yaml", "assert.yml", "errors.yaml", "errors.yml"].map((n) => join(dir, `${step[1]}-${n}`)));
    for (let d = dir; d !== ""; d = dirOf(d)) {
      if (d.slice(d.lastIndexOf("/") + 1) === GATOR_SAMPLES) out.push(...[...GATOR_SUITES, GATOR_TEMPLATE].map((n) => join(dirOf(d), n)));
    }
    return out;
  }
}
