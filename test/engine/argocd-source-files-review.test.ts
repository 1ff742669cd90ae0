/**
 * Argo CD's parameter-override files (`.argocd-source.yaml`, `.argocd-source-<app>.yaml`, what Image Updater's git
 * write-back commits) are applied to the root they sit in before the render: the image Argo CD deploys is the one
 * judged, at its line in the file, in a scan and in a pull request that changes only such a file.
 */
import { describe, expect, it } from "@jest/globals";
import { API, lines, only, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

/** A Deployment that passes every rule except the image tag: the image (line 18) has none. */
const UNTAGGED = API.replace("image: ghcr.io/acme/api:1.0.0", "image: ghcr.io/acme/web");

const OWN = "apps/web/.argocd-source-web.yaml";
const REPO = "apps/web/.argocd-source.yaml";

/** A parameter file setting the images (the list from line 3). */
const images = (...refs: string[]): string => lines("kustomize:", "  images:", ...refs.map((r) => `    - ${r}`));

const tree = (extra: Files = {}): Files => ({
  "apps/web/deployment.yaml": UNTAGGED,
  "apps/web/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
  ...extra,
});

/** An Application named `name` pointing at apps/web, without overrides of its own. */
const application = (name: string, namespace = "argocd"): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    "spec:",
    "  project: default",
    "  destination: {server: https://kubernetes.default.svc, namespace: web}",
    "  source:",
    "    repoURL: https://github.com/acme/deploy",
    "    targetRevision: main",
    "    path: apps/web",
  );

describe("scan: parameter-override files are applied to their directory", () => {
  it("without them, the base's untagged image is a mutable tag (the baseline)", () => {
    expect(where(scanRepo(tree()), "image/mutable-tag")).toEqual(["image/mutable-tag apps/web/deployment.yaml:18:18 new"]);
  });

  it(".argocd-source-web.yaml pinning ghcr.io/acme/web:1.2.3 over the untagged base image: no mutable tag", () => {
    const r = scanRepo(tree({ [OWN]: images("ghcr.io/acme/web:1.2.3") }));
    expect(only(r, "image/mutable-tag")).toEqual([]);
    expect(r.notes.join("\n")).toContain(`apps/web with the kustomize overrides of ${OWN}`);
    // The file itself is no Kubernetes object: nothing else is said about it.
    expect(r.findings.filter((f) => f.file === OWN)).toEqual([]);
  });

  it("an image the file sets to :latest is the finding, at its line in the file, naming the render", () => {
    const r = scanRepo(tree({ [OWN]: images("ghcr.io/acme/web:latest") }));
    expect(where(r, "image/mutable-tag")).toEqual([`image/mutable-tag ${OWN}:3:7 new`]);
    expect(only(r, "image/mutable-tag")[0]!.renderedFrom).toEqual([`apps/web with the kustomize overrides of ${OWN}`]);
  });

  it("a known Application reads .argocd-source.yaml, then its own file (which wins); another Application's file is not its", () => {
    const files = tree({
      "argocd/web.yaml": application("web"),
      [REPO]: images("ghcr.io/acme/web:latest"),
      [OWN]: images("ghcr.io/acme/web:1.2.3"),
      "apps/web/.argocd-source-web-old.yaml": images("ghcr.io/acme/web:latest"),
    });
    const r = scanRepo(files);
    expect(only(r, "image/mutable-tag")).toEqual([]);
    expect(r.notes.join("\n")).toContain(`apps/web with the kustomize overrides of Application argocd/web with ${REPO}, ${OWN}`);
    // Without its own file, the Application gets .argocd-source.yaml's :latest.
    const { [OWN]: _own, ...withoutOwn } = files;
    expect(where(scanRepo(withoutOwn), "image/mutable-tag")).toEqual([`image/mutable-tag ${REPO}:3:7 new`]);
  });

  it("an Application outside the argocd namespace reads .argocd-source-<namespace>_<name>.yaml", () => {
    const r = scanRepo(
      tree({
        "argocd/web.yaml": application("web", "team-a"),
        "apps/web/.argocd-source-team-a_web.yaml": images("ghcr.io/acme/web:latest"),
        [OWN]: images("ghcr.io/acme/web:1.2.3"),
      }),
    );
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/web/.argocd-source-team-a_web.yaml:3:7 new"]);
  });

  it("a file that does not parse: the render refuses with a note, files are reviewed one by one, no crash", () => {
    const r = scanRepo(tree({ [OWN]: lines("kustomize:", "  images: [") }));
    expect(r.notes.join("\n")).toMatch(/apps\/web with the kustomize overrides of apps\/web\/\.argocd-source-web\.yaml was not rendered \(Argo CD parameter file apps\/web\/\.argocd-source-web\.yaml:3:\d+: invalid YAML/);
    // As Argo CD fails to generate the manifests: the base image is judged one by one, the file is a parse error.
    expect(where(r, "image/mutable-tag", "guard/parse-error")).toEqual(
      expect.arrayContaining(["image/mutable-tag apps/web/deployment.yaml:18:18 new", expect.stringMatching(/^guard\/parse-error apps\/web\/\.argocd-source-web\.yaml:3:\d+ new$/)]),
    );
  });

  it("a directory with a parameter file is a root even when an overlay uses it", () => {
    const files = tree({
      [OWN]: images("ghcr.io/acme/web:latest"),
      "apps/web-prod/kustomization.yaml": lines("resources:", "  - ../web", "images:", "  - name: ghcr.io/acme/web", "    newTag: 2.0.0"),
    });
    const r = scanRepo(files);
    expect(where(r, "image/mutable-tag")).toEqual([`image/mutable-tag ${OWN}:3:7 new`]);
  });
});

describe("review: a pull request that changes only .argocd-source-web.yaml (an Image Updater write-back)", () => {
  it("a new mutable image is a new finding at the file's line", () => {
    const r = reviewRepo(tree({ [OWN]: images("ghcr.io/acme/web:1.2.3") }), tree({ [OWN]: images("ghcr.io/acme/web:latest") }));
    expect(where(r, "image/mutable-tag")).toEqual([`image/mutable-tag ${OWN}:3:7 new`]);
    // Nothing else in the render turned new or fixed: fingerprints do not depend on the overrides.
    expect(r.findings.filter((f) => f.status !== "existing" && f.ruleId !== "image/mutable-tag")).toEqual([]);
  });

  it("pinning the image fixes the old finding", () => {
    const r = reviewRepo(tree({ [OWN]: images("ghcr.io/acme/web:latest") }), tree({ [OWN]: images("ghcr.io/acme/web:1.2.3") }));
    expect(where(r, "image/mutable-tag")).toEqual([`image/mutable-tag ${OWN}:3:7 fixed`]);
  });

  it("adding the file to a directory that had none fixes the base's untagged image", () => {
    const r = reviewRepo(tree(), tree({ [OWN]: images("ghcr.io/acme/web:1.2.3") }));
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/web/deployment.yaml:18:18 fixed"]);
  });
});
