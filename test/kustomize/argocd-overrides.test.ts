/**
 * Argo CD's `spec.source.kustomize` overrides applied to a root kustomization the way the repo-server's
 * `kustomize edit` commands change it (argo-cd util/kustomize/kustomize.go; kustomize/commands/edit/…), with every
 * value an override writes pointing at its line in the Application.
 */
import { describe, expect, it } from "@jest/globals";
import { applicationSources, createRenderSession, memoryTree, type BuildResult, type RenderedResource } from "../../src/kustomize/index.js";
import { at, lines } from "./render-helpers.js";
import { parseImageArg } from "../../src/kustomize/argocd-overrides.js";

const DEPLOYMENT = lines(
  "apiVersion: apps/v1", // 1
  "kind: Deployment", // 2
  "metadata:", // 3
  "  name: api", // 4
  "spec:", // 5
  "  replicas: 1", // 6
  "  selector:", // 7
  "    matchLabels: {app: api}", // 8
  "  template:", // 9
  "    metadata:", // 10
  "      labels: {app: api}", // 11
  "    spec:", // 12
  "      containers:", // 13
  "        - name: api", // 14
  "          image: ghcr.io/acme/api", // 15
  "        - name: side", // 16
  "          image: busybox:1.36", // 17
);

/** The Application: its `kustomize:` block's lines start at line 8 (two-space indented under it). */
const app = (...kustomize: string[]): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1", // 1
    "kind: Application", // 2
    "metadata: {name: api, namespace: argocd}", // 3
    "spec:", // 4
    "  source:", // 5
    "    repoURL: https://example.com/r.git", // 6
    "    path: app", // 7
    "    kustomize:", // 8
    ...kustomize.map((l) => `      ${l}`), // 9 …
  );

/** Builds with the override through a session (the public way). */
function render(kustomization: string, application: string, extra: Record<string, string> = {}): RenderedResource[] {
  const r = buildWith(kustomization, application, extra);
  if (!r.ok) throw new Error(r.reason);
  return r.resources;
}

function buildWith(kustomization: string, application: string, extra: Record<string, string> = {}): BuildResult {
  const files = { "app/kustomization.yaml": kustomization, "app/deployment.yaml": DEPLOYMENT, "argocd/app.yaml": application, ...extra };
  const [source] = applicationSources("argocd/app.yaml", application);
  expect(source?.path).toBe("app");
  return createRenderSession(memoryTree(files)).build("app", source!.edit ?? undefined);
}

const deployment = (rs: RenderedResource[]) => rs.find((r) => r.resource.kind === "Deployment")!;
const containers = (r: RenderedResource) => (r.value as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }).spec.template.spec.containers;
const K = lines("resources:", "  - deployment.yaml");

describe("kustomize edit set image arguments", () => {
  it.each([
    ["nginx:1.27", { name: "nginx", newName: "", newTag: "1.27", digest: "" }],
    ["nginx@sha256:abc", { name: "nginx", newName: "", newTag: "", digest: "sha256:abc" }],
    ["nginx=registry/nginx:1.27", { name: "nginx", newName: "registry/nginx", newTag: "1.27", digest: "" }],
    ["nginx=registry/nginx", { name: "nginx", newName: "registry/nginx", newTag: "", digest: "" }],
    ["nginx=registry/nginx@sha256:abc", { name: "nginx", newName: "registry/nginx", newTag: "", digest: "sha256:abc" }],
    ["nginx=*:1.27", { name: "nginx", newName: "*", newTag: "1.27", digest: "" }],
    ["nginx:*", { name: "nginx", newName: "", newTag: "*", digest: "" }],
    ["localhost:5000/nginx:1.27", { name: "localhost:5000/nginx", newName: "", newTag: "1.27", digest: "" }],
  ])("%s", (arg, want) => {
    expect(parseImageArg(arg)).toEqual(want);
  });

  it("an image with neither tag nor digest nor `=` is refused, as kustomize does", () => {
    expect(parseImageArg("nginx")).toBeNull();
    expect(parseImageArg("localhost:5000/nginx")).toBeNull();
  });
});

describe("Argo CD kustomize overrides on the root kustomization", () => {
  it("images: a tag for an untagged image, at the Application's line", () => {
    const d = deployment(render(K, app("images:", "  - ghcr.io/acme/api:1.2.3")));
    expect(containers(d).map((c) => c.image)).toEqual(["ghcr.io/acme/api:1.2.3", "busybox:1.36"]);
    expect(at(d, ["spec", "template", "spec", "containers", 0, "image"])).toBe("argocd/app.yaml:10:11");
    expect(at(d, ["spec", "template", "spec", "containers", 1, "image"])).toBe("app/deployment.yaml:17:18");
  });

  it("images: an argument replaces the kustomization's entry of the same name (its newName goes), `*` keeps a field", () => {
    const k = lines("resources:", "  - deployment.yaml", "images:", "  - name: ghcr.io/acme/api", "    newName: mirror.acme/api", "    newTag: '0.9'", "  - name: busybox", "    newTag: '1.37'");
    const replaced = deployment(render(k, app("images:", "  - ghcr.io/acme/api:1.2.3")));
    expect(containers(replaced).map((c) => c.image)).toEqual(["ghcr.io/acme/api:1.2.3", "busybox:1.37"]);
    expect(at(replaced, ["spec", "template", "spec", "containers", 1, "image"])).toBe("app/kustomization.yaml:8:13");
    const kept = deployment(render(k, app("images:", "  - ghcr.io/acme/api=*:1.2.3")));
    expect(containers(kept)[0]!.image).toBe("mirror.acme/api:1.2.3");
    expect(at(kept, ["spec", "template", "spec", "containers", 0, "image"])).toBe("argocd/app.yaml:10:11");
  });

  it("images: imageTags are read as images; a digest and a rename", () => {
    const k = lines("resources:", "  - deployment.yaml", "imageTags:", "  - name: busybox", "    newTag: '1.37'");
    const d = deployment(render(k, app("images:", "  - ghcr.io/acme/api=ghcr.io/acme/api-next@sha256:0123")));
    expect(containers(d).map((c) => c.image)).toEqual(["ghcr.io/acme/api-next@sha256:0123", "busybox:1.37"]);
  });

  it("namePrefix and nameSuffix replace the kustomization's own", () => {
    const k = lines("resources:", "  - deployment.yaml", "namePrefix: old-");
    const d = deployment(render(k, app("namePrefix: prod-", "nameSuffix: -v2")));
    expect(d.resource.name).toBe("prod-api-v2");
    expect(at(d, ["metadata", "name"])).toBe("argocd/app.yaml:10:19");
  });

  it("namespace: set on every namespaced object, at the override line", () => {
    const d = deployment(render(lines("resources:", "  - deployment.yaml", "namespace: base"), app("namespace: payments")));
    expect(d.resource.namespace).toBe("payments");
    expect(at(d, ["metadata", "namespace"])).toBe("argocd/app.yaml:9:18");
  });

  it("commonLabels: added with selectors; an existing key is refused without forceCommonLabels and overwritten with it", () => {
    const d = deployment(render(K, app("commonLabels:", "  team: payments")));
    expect(at(d, ["metadata", "labels", "team"])).toBe("argocd/app.yaml:10:15");
    expect(at(d, ["spec", "selector", "matchLabels", "team"])).toBe("argocd/app.yaml:10:15");
    const k = lines("resources:", "  - deployment.yaml", "commonLabels:", "  team: core");
    const refused = buildWith(k, app("commonLabels:", "  team: payments"));
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining("label team already in kustomization file") });
    const forced = deployment(render(k, app("forceCommonLabels: true", "commonLabels:", "  team: payments")));
    expect((forced.value as { metadata: { labels: Record<string, string> } }).metadata.labels.team).toBe("payments");
    expect(at(forced, ["metadata", "labels", "team"])).toBe("argocd/app.yaml:11:15");
  });

  it("labelWithoutSelector: labels on metadata only (and templates with labelIncludeTemplates)", () => {
    const d = deployment(render(K, app("labelWithoutSelector: true", "commonLabels:", "  team: payments")));
    const v = d.value as { metadata: { labels?: Record<string, string> }; spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
    expect(v.metadata.labels).toEqual({ team: "payments" });
    expect(v.spec.selector.matchLabels).toEqual({ app: "api" });
    expect(v.spec.template.metadata.labels).toEqual({ app: "api" });
    expect(at(d, ["metadata", "labels", "team"])).toBe("argocd/app.yaml:11:15");
    const t = deployment(render(K, app("labelWithoutSelector: true", "labelIncludeTemplates: true", "commonLabels:", "  team: payments")));
    expect((t.value as typeof v).spec.template.metadata.labels).toEqual({ app: "api", team: "payments" });
    expect((t.value as typeof v).spec.selector.matchLabels).toEqual({ app: "api" });
  });

  it("commonAnnotations: added; an existing key needs forceCommonAnnotations", () => {
    const d = deployment(render(K, app("commonAnnotations:", "  owner: payments")));
    expect(at(d, ["metadata", "annotations", "owner"])).toBe("argocd/app.yaml:10:16");
    const k = lines("resources:", "  - deployment.yaml", "commonAnnotations:", "  owner: core");
    expect(buildWith(k, app("commonAnnotations:", "  owner: payments"))).toMatchObject({ ok: false, reason: expect.stringContaining("annotation owner already in kustomization file") });
    const forced = deployment(render(k, app("forceCommonAnnotations: true", "commonAnnotations:", "  owner: payments")));
    expect((forced.value as { metadata: { annotations: Record<string, string> } }).metadata.annotations.owner).toBe("payments");
  });

  it("replicas: name=count, a string count read as an integer", () => {
    const d = deployment(render(K, app("replicas:", "  - name: api", "    count: '3'")));
    expect((d.value as { spec: { replicas: number } }).spec.replicas).toBe(3);
    expect(at(d, ["spec", "replicas"])).toBe("argocd/app.yaml:11:18");
    expect(buildWith(K, app("replicas:", "  - name: api", "    count: three"))).toMatchObject({ ok: false, reason: expect.stringContaining("replicas[0].count") });
  });

  it("patches: appended after the kustomization's own; an inline patch's values point at the Application", () => {
    const k = lines("resources:", "  - deployment.yaml", "patches:", "  - patch: |-", "      - op: replace", "        path: /spec/replicas", "        value: 2", "    target: {kind: Deployment}");
    const d = deployment(
      render(
        k,
        app(
          "patches:", // 9
          "  - target: {kind: Deployment, name: api}", // 10
          "    patch: |-", // 11
          "      - op: replace", // 12
          "        path: /spec/replicas", // 13
          "        value: 5", // 14
        ),
      ),
    );
    expect((d.value as { spec: { replicas: number } }).spec.replicas).toBe(5);
    expect(at(d, ["spec", "replicas"])).toBe("argocd/app.yaml:14:22");
  });

  it("components: added to the kustomization; ignoreMissingComponents skips a directory that does not exist", () => {
    const component = lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "commonAnnotations:", "  from: component");
    const extra = { "app/components/ann/kustomization.yaml": component };
    const d = deployment(render(K, app("components:", "  - components/ann"), extra));
    expect(at(d, ["metadata", "annotations", "from"])).toBe("app/components/ann/kustomization.yaml:4:9");
    expect(buildWith(K, app("components:", "  - components/missing"), extra)).toMatchObject({ ok: false });
    const skipped = buildWith(K, app("ignoreMissingComponents: true", "components:", "  - components/missing", "  - components/ann"), extra);
    expect(skipped.ok).toBe(true);
  });

  it("values that Argo CD substitutes at sync time (${ARGOCD_APP_REVISION}) make the render refuse, with a reason", () => {
    expect(buildWith(K, app("images:", "  - ghcr.io/acme/api:${ARGOCD_APP_REVISION}"))).toMatchObject({ ok: false, reason: expect.stringContaining("substitution") });
  });

  it("an override does not disturb the session's plain build of the same root", () => {
    const files = { "app/kustomization.yaml": K, "app/deployment.yaml": DEPLOYMENT };
    const [source] = applicationSources("argocd/app.yaml", app("images:", "  - ghcr.io/acme/api:1.2.3"));
    const session = createRenderSession(memoryTree(files));
    const image = (r: BuildResult) => (r.ok ? containers(deployment(r.resources))[0]!.image : r.reason);
    expect(image(session.build("app"))).toBe("ghcr.io/acme/api");
    expect(image(session.build("app", source!.edit!))).toBe("ghcr.io/acme/api:1.2.3");
    expect(image(session.build("app"))).toBe("ghcr.io/acme/api");
  });

  it("a block that changes nothing built (only `version`) is no edit; the same overrides give the same key", () => {
    expect(applicationSources("a.yaml", app("version: v5.4.0"))[0]!.edit).toBeNull();
    const one = applicationSources("a.yaml", app("images: [ghcr.io/acme/api:1.2.3]", "namespace: x"))[0]!.edit!;
    const two = applicationSources("b.yaml", app("namespace: x", "images:", "  - ghcr.io/acme/api:1.2.3"))[0]!.edit!;
    expect(one.key).toBe(two.key);
  });
});
