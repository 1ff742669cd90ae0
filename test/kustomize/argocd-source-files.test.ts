/**
 * Argo CD's parameter-override files (`.argocd-source.yaml`, `.argocd-source-<app>.yaml`): which an Application
 * reads, and how they merge into its `kustomize` block (argo-cd reposerver/repository/repository.go
 * `mergeSourceParameters`: JSON merge patch, then decoding into the typed source), with origins in the files.
 */
import { describe, expect, it } from "@jest/globals";
import {
  isParameterFile,
  parameterFileApp,
  parameterFilesByDir,
  parameterFilesFor,
  readParameterFile,
  withParameterFiles,
  type ParameterFileRead,
} from "../../src/kustomize/argocd-source-files.js";
import { applicationSources, createRenderSession, memoryTree, type RenderedResource } from "../../src/kustomize/index.js";
import { at, lines } from "./render-helpers.js";

const DEPLOYMENT = lines(
  "apiVersion: apps/v1", // 1
  "kind: Deployment", // 2
  "metadata:", // 3
  "  name: web", // 4
  "spec:", // 5
  "  template:", // 6
  "    spec:", // 7
  "      containers:", // 8
  "        - name: web", // 9
  "          image: ghcr.io/acme/web", // 10
  "        - name: side", // 11
  "          image: ghcr.io/acme/side:1.0.0", // 12
);

const REPO = "web/.argocd-source.yaml";
const OWN = "web/.argocd-source-web.yaml";

/** Renders `web` with the Application's block (may be none) and the files merged in, in the given order. */
function render(files: Record<string, string>, order: string[], application?: string): RenderedResource[] {
  const all = { "web/kustomization.yaml": lines("resources:", "  - deployment.yaml"), "web/deployment.yaml": DEPLOYMENT, ...files };
  const block = application ? applicationSources("argocd/web.yaml", application)[0]!.kustomize : null;
  const edit = withParameterFiles(
    block,
    order.map((p) => readParameterFile(p, all[p as keyof typeof all] ?? null)),
  );
  const r = createRenderSession(memoryTree(all)).build("web", edit ?? undefined);
  if (!r.ok) throw new Error(r.reason);
  return r.resources;
}

const deployment = (rs: RenderedResource[]) => rs.find((r) => r.resource.kind === "Deployment")!;
const images = (rs: RenderedResource[]) =>
  (deployment(rs).value as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }).spec.template.spec.containers.map((c) => c.image);
const IMAGE = ["spec", "template", "spec", "containers", 0, "image"];

describe("which parameter files an Application reads", () => {
  it("recognises the file names and the application a file is for", () => {
    expect(isParameterFile("a/b/.argocd-source.yaml")).toBe(true);
    expect(isParameterFile(".argocd-source-web.yaml")).toBe(true);
    expect(isParameterFile("a/.argocd-source.yml")).toBe(false);
    expect(isParameterFile("a/argocd-source-web.yaml")).toBe(false);
    expect(parameterFileApp("a/.argocd-source-team-a_web.yaml")).toBe("team-a_web");
    expect(parameterFileApp("a/.argocd-source.yaml")).toBeNull();
  });

  it("groups a tree's files by directory, and finds none in a tree without them", () => {
    expect([...parameterFilesByDir(["web/.argocd-source-web.yaml", "web/x.yaml", ".argocd-source.yaml", "web/.argocd-source.yaml"])]).toEqual([
      ["web", ["web/.argocd-source-web.yaml", "web/.argocd-source.yaml"]],
      ["", [".argocd-source.yaml"]],
    ]);
    expect(parameterFilesByDir(["web/kustomization.yaml", "web/deployment.yaml"]).size).toBe(0);
  });

  it("reads .argocd-source.yaml first, then the Application's own file", () => {
    const dir = [OWN, REPO, "web/.argocd-source-api.yaml"];
    expect(parameterFilesFor(dir, { name: "web", namespace: "argocd" })).toEqual([REPO, OWN]);
    expect(parameterFilesFor(dir, { name: "web" })).toEqual([REPO, OWN]);
    expect(parameterFilesFor(dir, { name: "other" })).toEqual([REPO]);
    expect(parameterFilesFor(dir, null)).toEqual([REPO]);
    expect(parameterFilesFor([OWN], { name: "web" })).toEqual([OWN]);
  });

  it("an Application outside the argocd namespace reads <namespace>_<name> when that file exists, else <name>", () => {
    const qualified = "web/.argocd-source-team-a_web.yaml";
    expect(parameterFilesFor([OWN, qualified], { name: "web", namespace: "team-a" })).toEqual([qualified]);
    expect(parameterFilesFor([OWN], { name: "web", namespace: "team-a" })).toEqual([OWN]);
    // In the control-plane namespace the name is the instance name: a <namespace>_<name> file is someone else's.
    expect(parameterFilesFor(["web/.argocd-source-argocd_web.yaml"], { name: "web", namespace: "argocd" })).toEqual([]);
  });
});

describe("merging parameter files into an Application's kustomize block", () => {
  it("pins an untagged base image, and the image points at its line in the file", () => {
    const rs = render({ [OWN]: lines("kustomize:", "  images:", "    - ghcr.io/acme/web:1.2.3") }, [OWN]);
    expect(images(rs)).toEqual(["ghcr.io/acme/web:1.2.3", "ghcr.io/acme/side:1.0.0"]);
    expect(at(deployment(rs), IMAGE)).toBe(`${OWN}:3:7`);
  });

  it("the Application's own file wins over .argocd-source.yaml: a list is replaced, not appended to", () => {
    const rs = render(
      {
        [REPO]: lines("kustomize:", "  images:", "    - ghcr.io/acme/web:1.0.0", "    - ghcr.io/acme/side:9.9.9"),
        [OWN]: lines("kustomize:", "  images:", "    - ghcr.io/acme/web:2.0.0"),
      },
      [REPO, OWN],
    );
    // The side image of .argocd-source.yaml is gone: the second file's list replaced the first's.
    expect(images(rs)).toEqual(["ghcr.io/acme/web:2.0.0", "ghcr.io/acme/side:1.0.0"]);
  });

  it("the files win over the Application's block; maps merge key by key; null keeps the value", () => {
    const application = lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: web, namespace: argocd}",
      "spec:",
      "  source:",
      "    repoURL: https://example.com/r.git",
      "    path: web",
      "    kustomize:",
      "      namePrefix: app-",
      "      images: [ghcr.io/acme/web:0.1.0]",
      "      commonAnnotations: {owner: team-a, tier: web}",
    );
    const rs = render(
      { [OWN]: lines("kustomize:", "  namePrefix: null", "  images: [ghcr.io/acme/web:3.0.0]", "  commonAnnotations: {tier: edge}") },
      [OWN],
      application,
    );
    const d = deployment(rs);
    expect(images(rs)[0]).toBe("ghcr.io/acme/web:3.0.0");
    expect(d.resource.name).toBe("app-web");
    expect((d.value as { metadata: { annotations: Record<string, string> } }).metadata.annotations).toEqual({ owner: "team-a", tier: "edge" });
    expect(at(d, ["metadata", "annotations", "tier"])).toBe(`${OWN}:4:29`);
    expect(at(d, ["metadata", "annotations", "owner"])).toBe("argocd/web.yaml:11:34");
  });

  it("a file without a kustomize block, or an empty file, changes nothing", () => {
    expect(withParameterFiles(null, [readParameterFile(OWN, "helm:\n  parameters: []\n"), readParameterFile(REPO, "")])).toBeNull();
  });

  it.each<[string, string | null, RegExp]>([
    ["YAML that does not parse", lines("kustomize:", "  images: ["), /web\/\.argocd-source-web\.yaml:3:\d+: invalid YAML/],
    ["a list at the top", lines("- kustomize: {}"), /expected a map of Application source fields/],
    ["kustomize that is not a map", lines("kustomize: [a]"), /kustomize: expected a map/],
    ["images that is not a list", lines("kustomize:", "  images: ghcr.io/acme/web:1.0.0"), /kustomize\.images: expected a list/],
    ["a file that could not be read", null, /cannot be read/],
  ])("%s: the read says why, and the render it feeds refuses with that reason (never a crash)", (_, text, reason) => {
    const read: ParameterFileRead = readParameterFile(OWN, text);
    expect("error" in read && read.error).toMatch(reason);
    const edit = withParameterFiles(null, [read])!;
    const r = createRenderSession(memoryTree({ "web/kustomization.yaml": lines("resources:", "  - deployment.yaml"), "web/deployment.yaml": DEPLOYMENT })).build("web", edit);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^Argo CD parameter file /);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it("the same effective overrides give the same key, whichever file wrote them", () => {
    const a = withParameterFiles(null, [readParameterFile(REPO, lines("kustomize:", "  images: [ghcr.io/acme/web:1.2.3]"))]);
    const b = withParameterFiles(null, [readParameterFile(OWN, lines("kustomize:", "  images:", "    - ghcr.io/acme/web:1.2.3"))]);
    expect(a!.key).toBe(b!.key);
  });
});
