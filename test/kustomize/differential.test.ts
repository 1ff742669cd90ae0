/**
 * Differential test against the real Kustomize: `kubectl kustomize` (Debian's kubectl embeds Kustomize v5.5.0,
 * on this machine and on CI) builds every kustomization root of ../shared/corpus and of the fixtures, and the
 * in-process build must give the same objects in the same order — or both must refuse (remote bases, helm).
 */
import { describe, expect, it } from "@jest/globals";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { isDeepStrictEqual, promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { diskTree } from "../../src/cli/render.js";
import { buildKustomizationGraph, createRenderSession, isKustomizationFile } from "../../src/kustomize/index.js";

const run = promisify(execFile);
const CORPUS = resolve(process.cwd(), "../shared/corpus");
const FIXTURES = resolve(process.cwd(), "test/kustomize/fixtures");

/**
 * Known differences, each explained. None now: the one there was (go-yaml's writer gives a `>-` block's more-indented
 * continuation line an extra line break, grafana-operator/instance's CEL expressions) is reproduced by the render
 * (onode.ts goFolded; test/kustomize/kubectl-cases/folded-more-indented).
 */
const KNOWN: Record<string, string[]> = {};

function kubectlVersion(): string {
  try {
    return execFileSync("kubectl", ["version", "--client"], { encoding: "utf8" });
  } catch (err) {
    throw new Error(
      `kubectl is required for the Kustomize differential test (Debian's kubectl package embeds Kustomize v5.5.0) and could not be run: ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
  }
}

function walk(root: string, out: string[] = [], dir = root): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(root, out, p);
    else out.push(relative(root, p).split("\\").join("/"));
  }
  return out;
}

function roots(root: string): string[] {
  const files = walk(root);
  const kustomizations = files.filter(isKustomizationFile).map((path) => ({ path, text: readFileSync(join(root, path), "utf8") }));
  return buildKustomizationGraph(kustomizations, files).roots();
}

/** Paths (like `[2].spec.x`) where two JSON values differ. */
function differences(a: unknown, b: unknown, path = "", out: string[] = []): string[] {
  if (isDeepStrictEqual(a, b)) return out;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) differences(a[i], b[i], `${path}[${i}]`, out);
  } else if (isObj(a) && isObj(b) && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[k], b[k], `${path}.${k}`, out);
  } else out.push(path);
  return out;
}

async function limited<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

interface Outcome {
  root: string;
  kubectl: unknown[] | string;
  ours: unknown[] | string;
}

async function compare(base: string, dirs: readonly string[]): Promise<Outcome[]> {
  const session = createRenderSession(diskTree(base));
  return limited(dirs, 8, async (dir) => {
    let kubectl: unknown[] | string;
    try {
      const { stdout } = await run("kubectl", ["kustomize", join(base, dir)], { maxBuffer: 64 * 1024 * 1024 });
      kubectl = parseAllDocuments(stdout).map((d) => d.toJS());
    } catch (err) {
      kubectl = String((err as { stderr?: string }).stderr ?? err).trim();
    }
    const r = session.build(dir);
    return { root: dir, kubectl, ours: r.ok ? r.resources.map((x) => x.value) : r.reason };
  });
}

function judge(outcomes: Outcome[]) {
  const identical: string[] = [];
  const bothRefuse: string[] = [];
  const problems: string[] = [];
  const known: Record<string, string[]> = {};
  for (const o of outcomes) {
    if (typeof o.kubectl === "string" || typeof o.ours === "string") {
      if (typeof o.kubectl === "string" && typeof o.ours === "string") bothRefuse.push(o.root);
      else problems.push(`${o.root}: ${typeof o.ours === "string" ? `only we refuse: ${o.ours}` : `only kubectl refuses: ${o.kubectl as string}`}`);
      continue;
    }
    const diff = differences(JSON.parse(JSON.stringify(o.kubectl)), JSON.parse(JSON.stringify(o.ours)));
    if (diff.length === 0) identical.push(o.root);
    else if (KNOWN[o.root]) known[o.root] = diff;
    else problems.push(`${o.root}: differs at ${diff.slice(0, 5).join(", ")}`);
  }
  return { identical, bothRefuse, problems, known };
}

describe("in-process Kustomize = kubectl kustomize", () => {
  it("kubectl (with its embedded Kustomize) is installed", () => {
    expect(kubectlVersion()).toMatch(/Kustomize Version: v5\./);
  });

  it("renders every kustomization root of ../shared/corpus like kubectl, or refuses where kubectl cannot build", async () => {
    expect(existsSync(CORPUS)).toBe(true);
    kubectlVersion();
    const dirs = roots(CORPUS);
    expect(dirs.length).toBeGreaterThan(50);
    const result = judge(await compare(CORPUS, dirs));
    expect(result.problems).toEqual([]);
    expect(result.known).toEqual(KNOWN);
    expect(result.identical.length + result.bothRefuse.length + Object.keys(result.known).length).toBe(dirs.length);
    // The corpus's roots that kubectl cannot build either: remote bases and generator files the corpus lacks.
    expect(result.bothRefuse.length).toBeLessThanOrEqual(12);
  }, 120_000);

  it("renders every fixture root like kubectl (overlays of overlays, components, patches, generators, name references, vars, replacements, configurations)", async () => {
    kubectlVersion();
    const dirs = [...roots(FIXTURES), "failures/cycle/a"];
    const result = judge(await compare(FIXTURES, dirs));
    expect(result.problems).toEqual([]);
    expect(result.known).toEqual({});
    expect(result.bothRefuse.sort()).toEqual([
      // configurations Kustomize refuses: conflicting field specs (one against a built-in spec, one against a
      // labels: entry's own field, one only once the accumulator's sorted merge meets it), a file that is not a
      // TransformerConfig, an unknown field, a file outside the root.
      "configurations/refused/conflict",
      "configurations/refused/labels-conflict",
      "configurations/refused/malformed",
      "configurations/refused/outside/app",
      "configurations/refused/rollout-create-false",
      "configurations/refused/unknown-field",
      // a raw control character in a resource file (go-yaml: "control characters are not allowed").
      "failures/control-character",
      "failures/cycle/a",
      "failures/helm",
      // a value go-yaml reads as +Inf (and below, a map key it reads as an int): kustomize cannot write them as JSON.
      "failures/infinite-value",
      // a merge key whose value is not a map (kyaml: "map merge requires map or sequence of maps as the value").
      "failures/merge-key-scalar",
      "failures/missing",
      "failures/non-string-key",
      // kustomize's own previous-names annotation written in an input object: kubectl panics, we refuse.
      "failures/previous-names",
      "failures/remote",
      // a %YAML directive in a resource file: kyaml splits the stream at `---` and go-yaml finds no document.
      "failures/yaml-directive",
      "replacements/refused",
      // a resource and an env file that are symbolic links out of the kustomization's directory (the load restrictor).
      "symlinks/gen/app",
      "symlinks/out/app",
      // vars Kustomize refuses: an objref that names nothing, one that names two objects, a non-string in args.
      "vars/refused/ambiguous",
      "vars/refused/no-match",
      "vars/refused/not-a-string",
    ]);
    expect(result.identical).toEqual(
      expect.arrayContaining(["shop/overlays/prod", "argocd", "smp-edge", "smp-keys", "nameref", "images", "misc-order", "generators/overlay", "targets", "merge-keys/overlay", "symlinks/inside/app", "internal-annotations", "bom", "timestamps", "generators/control-character", "json6902-annotations", "folded-keep"]),
    );
    // vars: from a Service name and port, typed ConfigMap data, a base's var through an overlay's prefix and
    // namespace (and a generator merge), escapes, Ingress hosts, every default varReference field, a component.
    expect(result.identical).toEqual(
      expect.arrayContaining([
        "vars/service-args",
        "vars/configmap-data",
        "vars/prefixed/overlay",
        "vars/escapes",
        "vars/ingress",
        "vars/fields",
        "vars/component/app",
        ...["inline", "from-file", "delimiter", "create", "selectors", "overlay/prod"].map((r) => `replacements/${r}`),
      ]),
    );
    // configurations: images, labels, annotations, replicas and namespace into CRD fields, name references from CRD
    // fields (to prefixed and hashed names), varReference, a base's config used by its overlay's transformers and
    // an overlay's that its base's own transformers never see, a component's, Kubebuilder's config/default.
    expect(result.identical).toEqual(
      expect.arrayContaining(
        ["images-crd", "labels-crd", "labels-config", "affix", "nameref", "vars", "base-config/overlay", "overlay-config/overlay", "component/app", "kubebuilder/config/default"].map(
          (r) => `configurations/${r}`,
        ),
      ),
    );
  }, 60_000);
});
