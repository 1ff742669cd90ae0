/** Line-exact origins of rendered values, per feature, and failures with reasons. */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree, renderedToParsedDoc, type FileTree } from "../../src/kustomize/index.js";
import { at, C0, find, lines, ok } from "./render-helpers.js";

const BASE_DEPLOYMENT = lines(
  "apiVersion: apps/v1", // 1
  "kind: Deployment", // 2
  "metadata:", // 3
  "  name: web", // 4
  "spec:", // 5
  "  replicas: 1", // 6
  "  selector:", // 7
  "    matchLabels: {app: web}", // 8
  "  template:", // 9
  "    metadata:", // 10
  "      labels: {app: web}", // 11
  "    spec:", // 12
  "      containers:", // 13
  "        - name: web", // 14
  "          image: ghcr.io/acme/web", // 15
  "          env:", // 16
  "            - name: MODE", // 17
  "              value: base", // 18
  "            - name: DEBUG", // 19
  "              value: \"false\"", // 20
  "          envFrom:", // 21
  "            - configMapRef: {name: web-config}", // 22
  "        - name: sidecar", // 23
  "          image: busybox:1.36", // 24
);

function layered(extra: Record<string, string> = {}): FileTree {
  return memoryTree({
    "base/deployment.yaml": BASE_DEPLOYMENT,
    "base/kustomization.yaml": lines("resources:", "  - deployment.yaml", "configMapGenerator:", "  - name: web-config", "    literals:", "      - LOG_LEVEL=info"),
    "mid/kustomization.yaml": lines(
      "resources:", // 1
      "  - ../base", // 2
      "namePrefix: mid-", // 3
      "replicas:", // 4
      "  - name: web", // 5
      "    count: 3", // 6
      "images:", // 7
      "  - name: ghcr.io/acme/web", // 8
      "    newTag: 1.1.0", // 9
    ),
    "top/kustomization.yaml": lines(
      "resources:", // 1
      "  - ../mid", // 2
      "namespace: prod", // 3
      "patches:", // 4
      "  - path: env.yaml", // 5
    ),
    "top/env.yaml": lines(
      "apiVersion: apps/v1", // 1
      "kind: Deployment", // 2
      "metadata:", // 3
      "  name: mid-web", // 4
      "spec:", // 5
      "  template:", // 6
      "    spec:", // 7
      "      containers:", // 8
      "        - name: web", // 9
      "          env:", // 10
      "            - name: MODE", // 11
      "              value: prod", // 12
      "            - name: NEW", // 13
      "              value: added", // 14
    ),
    ...extra,
  });
}

describe("origins through overlays of overlays", () => {
  const r = ok(buildKustomization(layered(), "top"));
  const dep = find(r, "Deployment");

  it("renders the identity after every transform", () => {
    expect(dep.resource).toEqual({ apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "mid-web" });
    expect(r.files).toEqual(["base/deployment.yaml", "base/kustomization.yaml", "mid/kustomization.yaml", "top/env.yaml", "top/kustomization.yaml"]);
  });

  it("points a value nobody changed at the base", () => {
    expect(at(dep, [...C0, "env", 2, "value"])).toBe("base/deployment.yaml:20:22");
    expect(dep.definedAt).toMatchObject({ file: "base/deployment.yaml", line: 1, column: 1 });
  });

  it("points a value a strategic merge patch set (matched by the env merge key) at the patch", () => {
    const env = (dep.value as { spec: { template: { spec: { containers: { env: unknown[] }[] } } } }).spec.template.spec.containers[0]!.env;
    expect(env).toEqual([{ name: "MODE", value: "prod" }, { name: "NEW", value: "added" }, { name: "DEBUG", value: "false" }]);
    expect(at(dep, [...C0, "env", 0, "value"])).toBe("top/env.yaml:12:22");
    expect(at(dep, [...C0, "env", 1, "value"])).toBe("top/env.yaml:14:22");
  });

  it("points an images: override at its newTag line, a replicas: override at its count", () => {
    expect((dep.value as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers[0]!.image).toBe("ghcr.io/acme/web:1.1.0");
    expect(at(dep, [...C0, "image"])).toBe("mid/kustomization.yaml:9:13");
    expect(at(dep, ["spec", "replicas"])).toBe("mid/kustomization.yaml:6:12");
  });

  it("points each part of an overridden image where it was written: the name in the base, the tag (and the digest it removes) at newTag", () => {
    const part = (p: "name" | "tag" | "digest") => {
      const o = dep.originOf([...C0, "image"], "value", p);
      return `${o.file}:${o.line}:${o.column}`;
    };
    expect([part("name"), part("tag"), part("digest")]).toEqual(["base/deployment.yaml:15:18", "mid/kustomization.yaml:9:13", "mid/kustomization.yaml:9:13"]);
    // A value no override rewrote is one origin, whatever the part.
    expect(dep.originOf([...C0, "env", 0, "value"], "value", "name")).toEqual(dep.originOf([...C0, "env", 0, "value"]));
  });

  it("an override that writes the tag the base already has still points at its newTag line (the line a pull request edits)", () => {
    const tree = memoryTree({
      "base/deployment.yaml": BASE_DEPLOYMENT.replace("image: ghcr.io/acme/web", "image: ghcr.io/acme/web:latest"),
      "base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
      "dev/kustomization.yaml": lines("resources:", "  - ../base", "images:", "  - name: ghcr.io/acme/web", "    newTag: latest"),
      "other/kustomization.yaml": lines("resources:", "  - ../base", "images:", "  - name: ghcr.io/acme/other", "    newTag: latest"),
    });
    const same = find(ok(buildKustomization(tree, "dev")), "Deployment");
    expect(at(same, [...C0, "image"])).toBe("dev/kustomization.yaml:5:13");
    expect(same.originOf([...C0, "image"], "value", "name").file).toBe("base/deployment.yaml");
    // An entry for another image leaves the value where it was written.
    expect(at(find(ok(buildKustomization(tree, "other")), "Deployment"), [...C0, "image"])).toBe("base/deployment.yaml:15:18");
  });

  it("points namespace and name at the kustomization lines that set them", () => {
    expect(at(dep, ["metadata", "namespace"])).toBe("top/kustomization.yaml:3:12");
    expect(at(dep, ["metadata", "name"])).toBe("mid/kustomization.yaml:3:13");
  });

  it("answers 'not set' with the nearest existing ancestor: the container entry in the base", () => {
    expect(at(dep, [...C0, "resources", "limits"])).toBe("base/deployment.yaml:14:11");
    expect(at(dep, ["spec", "template", "spec", "securityContext"])).toBe("base/deployment.yaml:12:5");
    expect(dep.originOf(["nope"])).toEqual(dep.definedAt);
  });

  it("follows a generated ConfigMap's hashed name into envFrom, and points the data at the literal", () => {
    const cm = find(r, "ConfigMap");
    expect(cm.resource.name).toMatch(/^mid-web-config-[a-z0-9]{10}$/);
    expect((dep.value as { spec: { template: { spec: { containers: { envFrom: { configMapRef: { name: string } }[] }[] } } } }).spec.template.spec.containers[0]!.envFrom[0]!.configMapRef.name).toBe(cm.resource.name);
    expect(at(cm, ["data", "LOG_LEVEL"])).toBe("base/kustomization.yaml:6:9");
    expect(cm.definedAt).toMatchObject({ file: "base/kustomization.yaml", line: 4 });
  });

  it("adapts a rendered object to the engine's ParsedDoc, whose locate names the file of each value", () => {
    const doc = renderedToParsedDoc(dep);
    expect(doc.file).toBe("base/deployment.yaml");
    expect(doc.class).toBe("kubernetes");
    expect(doc.locate([...C0, "env", 0, "value"])).toMatchObject({ file: "top/env.yaml", line: 12, column: 22 });
    expect(doc.locate([...C0, "env", 0, "value"], "key")).toMatchObject({ file: "top/env.yaml", line: 12, column: 15 });
  });
});

describe("origins per feature", () => {
  it("an image overridden in two layers keeps each part's line: newName above, newTag below, a digest at its line", () => {
    const tree = layered({
      "rename/kustomization.yaml": lines("resources: [../mid]", "images:", "  - name: ghcr.io/acme/web", "    newName: quay.io/acme/web"),
      "pin/kustomization.yaml": lines("resources: [../rename]", "images:", "  - name: quay.io/acme/web", `    digest: sha256:${"ab".repeat(32)}`),
    });
    const parts = (dir: string) => {
      const dep = find(ok(buildKustomization(tree, dir)), "Deployment");
      return (["name", "tag", "digest"] as const).map((p) => {
        const o = dep.originOf([...C0, "image"], "value", p);
        return `${p} ${o.file}:${o.line}:${o.column}`;
      });
    };
    expect(parts("rename")).toEqual(["name rename/kustomization.yaml:4:14", "tag mid/kustomization.yaml:9:13", "digest mid/kustomization.yaml:9:13"]);
    // The digest replaces the tag: both are decided at the digest line.
    expect(parts("pin")).toEqual(["name rename/kustomization.yaml:4:14", "tag pin/kustomization.yaml:4:13", "digest pin/kustomization.yaml:4:13"]);
  });

  it("$patch: delete removes a container; the deleted path falls back to the containers key", () => {
    const tree = layered({
      "del/kustomization.yaml": lines("resources: [../base]", "patches:", "  - path: del.yaml"),
      "del/del.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      containers:", "        - name: sidecar", "          $patch: delete"),
    });
    const dep = find(ok(buildKustomization(tree, "del")), "Deployment");
    const containers = (dep.value as { spec: { template: { spec: { containers: { name: string }[] } } } }).spec.template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(["web"]);
    expect(at(dep, ["spec", "template", "spec", "containers", 1, "image"])).toBe("base/deployment.yaml:13:7");
  });

  it("JSON 6902 on list indexes (inline in kustomization.yaml) points at the operation's value line", () => {
    const tree = layered({
      "json/kustomization.yaml": lines(
        "resources: [../base]", // 1
        "patches:", // 2
        "  - target: {kind: Deployment, name: web}", // 3
        "    patch: |-", // 4
        "      - op: replace", // 5
        "        path: /spec/template/spec/containers/0/env/1/value", // 6
        "        value: \"true\"", // 7
        "      - op: add", // 8
        "        path: /spec/template/spec/containers/1/args", // 9
        "        value: [--verbose]", // 10
      ),
    });
    const dep = find(ok(buildKustomization(tree, "json")), "Deployment");
    expect(at(dep, [...C0, "env", 1, "value"])).toBe("json/kustomization.yaml:7:16");
    expect(at(dep, ["spec", "template", "spec", "containers", 1, "args", 0])).toBe("json/kustomization.yaml:10:17");
    expect(at(dep, [...C0, "env", 0, "value"])).toBe("base/deployment.yaml:18:22");
  });

  it("a component's patch points at its line in the component's kustomization.yaml", () => {
    const tree = layered({
      "comp/kustomization.yaml": lines("resources: [../base]", "components: [../monitoring]"),
      "monitoring/kustomization.yaml": lines(
        "apiVersion: kustomize.config.k8s.io/v1alpha1", // 1
        "kind: Component", // 2
        "patches:", // 3
        "  - target: {kind: Deployment}", // 4
        "    patch: |-", // 5
        "      apiVersion: apps/v1", // 6
        "      kind: Deployment", // 7
        "      metadata: {name: any}", // 8
        "      spec:", // 9
        "        template:", // 10
        "          metadata:", // 11
        "            annotations:", // 12
        "              prometheus.io/scrape: \"true\"", // 13
      ),
    });
    const dep = find(ok(buildKustomization(tree, "comp")), "Deployment");
    expect(at(dep, ["spec", "template", "metadata", "annotations", "prometheus.io/scrape"])).toBe("monitoring/kustomization.yaml:13:37");
  });

  it("generator envs: each key points at its .env line; a disabled hash keeps the name", () => {
    const tree = memoryTree({
      "argocd/kustomization.yaml": lines("configMapGenerator:", "  - name: argocd-cm", "    envs: [argocd-cm.env]", "generatorOptions:", "  disableNameSuffixHash: true"),
      "argocd/argocd-cm.env": lines("# Argo CD settings", "url=https://argo.example.com", "  users.anonymous.enabled=true"),
    });
    const cm = find(ok(buildKustomization(tree, "argocd")), "ConfigMap");
    expect(cm.resource.name).toBe("argocd-cm");
    expect(cm.value).toMatchObject({ data: { "users.anonymous.enabled": "true", url: "https://argo.example.com" } });
    expect(cm.originOf(["data", "users.anonymous.enabled"])).toEqual({ file: "argocd/argocd-cm.env", line: 3, column: 27, endLine: 3, endColumn: 31 });
    expect(cm.originOf(["data", "users.anonymous.enabled"], "key")).toMatchObject({ file: "argocd/argocd-cm.env", line: 3, column: 3 });
    expect(cm.sourceFiles).toEqual(["argocd/kustomization.yaml", "argocd/argocd-cm.env"]);
  });

  it("a secretGenerator literal points at its line in kustomization.yaml", () => {
    const tree = memoryTree({ "s/kustomization.yaml": lines("secretGenerator:", "  - name: creds", "    literals:", "      - password=hunter2") });
    const secret = find(ok(buildKustomization(tree, "s")), "Secret");
    expect(secret.value).toMatchObject({ type: "Opaque", data: { password: "aHVudGVyMg==" } });
    expect(at(secret, ["data", "password"])).toBe("s/kustomization.yaml:4:9");
  });

  it("images: a digest override points at the digest line, a newName-only override at newName", () => {
    const tree = layered({
      "img/kustomization.yaml": lines(
        "resources: [../base]", // 1
        "images:", // 2
        "  - name: ghcr.io/acme/web", // 3
        "    newName: registry.example.com/web", // 4
        "    digest: sha256:abc", // 5
        "  - name: busybox", // 6
        "    newName: mirror.example.com/busybox", // 7
      ),
    });
    const dep = find(ok(buildKustomization(tree, "img")), "Deployment");
    const images = (dep.value as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers.map((c) => c.image);
    expect(images).toEqual(["registry.example.com/web@sha256:abc", "mirror.example.com/busybox:1.36"]);
    expect(at(dep, [...C0, "image"])).toBe("img/kustomization.yaml:5:13");
    expect(at(dep, ["spec", "template", "spec", "containers", 1, "image"])).toBe("img/kustomization.yaml:7:14");
  });

  it("commonLabels land on selectors and templates, pointing at the label in kustomization.yaml", () => {
    const tree = layered({ "lab/kustomization.yaml": lines("resources: [../base]", "commonLabels:", "  team: shop") });
    const dep = find(ok(buildKustomization(tree, "lab")), "Deployment");
    expect(dep.value).toMatchObject({ spec: { selector: { matchLabels: { app: "web", team: "shop" } }, template: { metadata: { labels: { team: "shop" } } } } });
    expect(at(dep, ["spec", "selector", "matchLabels", "team"])).toBe("lab/kustomization.yaml:3:9");
  });
});

describe("a value a patch removed points at the removal", () => {
  const SECURE = lines(
    "apiVersion: apps/v1", // 1
    "kind: Deployment", // 2
    "metadata: {name: web}", // 3
    "spec:", // 4
    "  template:", // 5
    "    spec:", // 6
    "      securityContext:", // 7
    "        runAsNonRoot: true", // 8
    "      containers:", // 9
    "        - name: web", // 10
    "          image: nginx:1.25", // 11
    "          securityContext:", // 12
    "            allowPrivilegeEscalation: false", // 13
    "            readOnlyRootFilesystem: true", // 14
  );
  const overlay = (...kustomization: string[]) =>
    memoryTree({ "base/deployment.yaml": SECURE, "base/kustomization.yaml": lines("resources: [deployment.yaml]"), "ov/kustomization.yaml": lines(...kustomization) });
  const SC = [...C0, "securityContext"] as const;
  const APE = [...SC, "allowPrivilegeEscalation"] as const;

  it("a JSON 6902 remove: the removed path and paths under it point at the operation; its siblings keep their lines", () => {
    const tree = overlay(
      "resources: [../base]", // 1
      "patches:", // 2
      "  - target: {kind: Deployment, name: web}", // 3
      "    patch: |-", // 4
      "      - op: remove", // 5
      "        path: /spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation", // 6
    );
    const dep = find(ok(buildKustomization(tree, "ov")), "Deployment");
    expect(at(dep, APE)).toBe("ov/kustomization.yaml:5:9");
    expect(at(dep, [...APE, "deeper"])).toBe("ov/kustomization.yaml:5:9");
    expect(at(dep, [...SC, "readOnlyRootFilesystem"])).toBe("base/deployment.yaml:14:37");
    // Never set anywhere: the nearest existing ancestor, as before.
    expect(at(dep, [...SC, "runAsUser"])).toBe("base/deployment.yaml:12:11");
    expect(dep.removals.map((x) => [x.path.join("."), `${x.origin.file}:${x.origin.line}`])).toEqual([[APE.join("."), "ov/kustomization.yaml:5"]]);
    const restored = dep.removals[0]!.restored() as { spec: { template: { spec: { containers: { securityContext: Record<string, unknown> }[] } } } };
    expect(restored.spec.template.spec.containers[0]!.securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(dep.value).not.toHaveProperty("spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation");
  });

  it("a JSON 6902 remove of an ancestor (a whole securityContext) points every path under it at the operation", () => {
    const tree = overlay(
      "resources: [../base]", // 1
      "patches:", // 2
      "  - target: {kind: Deployment}", // 3
      "    patch: |-", // 4
      "      - op: test", // 5
      "        path: /spec/template/spec/containers/0/name", // 6
      "        value: web", // 7
      "      - op: remove", // 8
      "        path: /spec/template/spec/containers/0/securityContext", // 9
    );
    const dep = find(ok(buildKustomization(tree, "ov")), "Deployment");
    expect(at(dep, SC)).toBe("ov/kustomization.yaml:8:9");
    expect(at(dep, APE)).toBe("ov/kustomization.yaml:8:9");
    expect(at(dep, [...C0, "image"])).toBe("base/deployment.yaml:11:18");
  });

  it("a JSON 6902 replace (or add) of a whole map: the keys it leaves out point at the operation, the ones it writes at their lines", () => {
    const tree = overlay(
      "resources: [../base]", // 1
      "patches:", // 2
      "  - target: {kind: Deployment}", // 3
      "    patch: |-", // 4
      "      - op: replace", // 5
      "        path: /spec/template/spec/containers/0/securityContext", // 6
      "        value:", // 7
      "          readOnlyRootFilesystem: true", // 8
    );
    const dep = find(ok(buildKustomization(tree, "ov")), "Deployment");
    expect(at(dep, APE)).toBe("ov/kustomization.yaml:5:9");
    expect(at(dep, [...SC, "readOnlyRootFilesystem"])).toBe("ov/kustomization.yaml:8:35");
    expect(at(dep, [...SC, "runAsUser"])).toBe("base/deployment.yaml:12:11");
    expect(dep.removals.map((x) => x.path.join("."))).toEqual([APE.join(".")]);
  });

  it("a strategic-merge `null` points at its key line, a `$patch: delete` at the directive's line", () => {
    const tree = overlay(
      "resources: [../base]", // 1
      "patches:", // 2
      "  - patch: |-", // 3
      "      apiVersion: apps/v1", // 4
      "      kind: Deployment", // 5
      "      metadata: {name: web}", // 6
      "      spec:", // 7
      "        template:", // 8
      "          spec:", // 9
      "            securityContext:", // 10
      "              $patch: delete", // 11
      "            containers:", // 12
      "              - name: web", // 13
      "                securityContext:", // 14
      "                  allowPrivilegeEscalation: null", // 15
    );
    const dep = find(ok(buildKustomization(tree, "ov")), "Deployment");
    expect(at(dep, APE)).toBe("ov/kustomization.yaml:15:19");
    expect(at(dep, ["spec", "template", "spec", "securityContext", "runAsNonRoot"])).toBe("ov/kustomization.yaml:11:15");
    expect(at(dep, [...SC, "readOnlyRootFilesystem"])).toBe("base/deployment.yaml:14:37");
  });

  it("a strategic-merge `$patch: replace` of a map: the keys it leaves out point at the directive's line, as a `null` does (held-out round 18)", () => {
    const tree = overlay(
      "resources: [../base]", // 1
      "patches:", // 2
      "  - patch: |-", // 3
      "      apiVersion: apps/v1", // 4
      "      kind: Deployment", // 5
      "      metadata: {name: web}", // 6
      "      spec:", // 7
      "        template:", // 8
      "          spec:", // 9
      "            containers:", // 10
      "              - name: web", // 11
      "                securityContext:", // 12
      "                  $patch: replace", // 13
      "                  readOnlyRootFilesystem: true", // 14
    );
    const dep = find(ok(buildKustomization(tree, "ov")), "Deployment");
    expect(at(dep, APE)).toBe("ov/kustomization.yaml:13:19");
    expect(at(dep, [...SC, "readOnlyRootFilesystem"])).toBe("ov/kustomization.yaml:14:43");
    expect(dep.removals.map((x) => [x.path.join("."), `${x.origin.file}:${x.origin.line}`])).toEqual([[APE.join("."), "ov/kustomization.yaml:13"]]);
    expect(dep.value).not.toHaveProperty("spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation");
  });

  it("a path set again after its removal points at where it is set, and is no longer a removal", () => {
    const tree = overlay(
      "resources: [../base]", // 1
      "patches:", // 2
      "  - target: {kind: Deployment}", // 3
      "    patch: |-", // 4
      "      - op: remove", // 5
      "        path: /spec/template/spec/containers/0/securityContext", // 6
      "      - op: add", // 7
      "        path: /spec/template/spec/containers/0/securityContext", // 8
      "        value: {runAsNonRoot: true}", // 9
    );
    const dep = find(ok(buildKustomization(tree, "ov")), "Deployment");
    expect(at(dep, APE)).toBe("ov/kustomization.yaml:9:16");
    expect(dep.removals).toEqual([]);
  });
});

describe("what cannot be rendered is a failure with a reason, never a throw", () => {
  it("a cycle", () => {
    const tree = memoryTree({ "a/kustomization.yaml": "resources: [../b]\n", "b/kustomization.yaml": "resources: [../a]\n" });
    const r = buildKustomization(tree, "a");
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/cycle detected/) });
    expect(r.files).toEqual(["a/kustomization.yaml", "b/kustomization.yaml"]);
  });

  it("a missing file", () => {
    const r = buildKustomization(memoryTree({ "k/kustomization.yaml": "resources: [missing.yaml]\n" }), "k");
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/"missing\.yaml" \(k\/missing\.yaml\) does not exist/) });
  });

  it("a remote base", () => {
    const r = buildKustomization(memoryTree({ "k/kustomization.yaml": "resources:\n  - github.com/argoproj/argo-cd//manifests?ref=v2.13.0\n" }), "k");
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/remote resource .* not supported/) });
  });

  it("helm charts and plugins", () => {
    for (const [field, text] of [
      ["helmCharts", "helmCharts:\n  - name: x\n"],
      ["transformers", "transformers: [t.yaml]\n"],
    ]) {
      const r = buildKustomization(memoryTree({ "k/kustomization.yaml": text! }), "k");
      expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(new RegExp(`${field}.* is not supported`)) });
    }
  });

  it("a path outside the repository, or outside the kustomization under kustomize's default load restrictions", () => {
    expect(buildKustomization(memoryTree({ "kustomization.yaml": "resources: [../x]\n" }), "")).toMatchObject({ ok: false, reason: expect.stringMatching(/outside the repository/) });
    const tree = memoryTree({ "k/kustomization.yaml": "resources: [../shared/cm.yaml]\n", "shared/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n" });
    expect(buildKustomization(tree, "k")).toMatchObject({ ok: false, reason: expect.stringMatching(/security; file 'shared\/cm.yaml' is not in or below 'k'/) });
    expect(buildKustomization(tree, "k", { loadRestrictions: "none" })).toMatchObject({ ok: true });
  });

  it("an invalid kustomization, as strict as kustomize (unknown fields, wrong types)", () => {
    expect(buildKustomization(memoryTree({ "k/kustomization.yaml": "resourcez: []\n" }), "k")).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown field "resourcez"/) });
    expect(buildKustomization(memoryTree({ "k/kustomization.yaml": "images:\n  - name: x\n    newTag: 1.2\n" }), "k")).toMatchObject({ ok: false, reason: expect.stringMatching(/images\[0\]\.newTag: expected a string/) });
  });

  it("invalid YAML in a resource names the file and line", () => {
    const tree = memoryTree({ "k/kustomization.yaml": "resources: [a.yaml]\n", "k/a.yaml": "kind: ConfigMap\nmetadata: {name: [x\n" });
    expect(buildKustomization(tree, "k")).toMatchObject({ ok: false, reason: expect.stringMatching(/^k\/a\.yaml:\d+:\d+: invalid YAML/) });
  });

  it("bounds the work: nesting depth and files read", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`l${i}/kustomization.yaml`] = i === 9 ? "resources: []\n" : `resources: [../l${i + 1}]\n`;
    expect(buildKustomization(memoryTree(files), "l0", { limits: { maxDepth: 5 } })).toMatchObject({ ok: false, reason: expect.stringMatching(/nest deeper than 5/) });
    expect(buildKustomization(memoryTree(files), "l0", { limits: { maxFiles: 4 } })).toMatchObject({ ok: false, reason: expect.stringMatching(/more than 4 files/) });
    expect(buildKustomization(memoryTree(files), "l0")).toMatchObject({ ok: true, resources: [] });
  });

  it("a tree that throws becomes a failure", () => {
    const tree: FileTree = {
      readFile: () => {
        throw new Error("disk on fire");
      },
      isDirectory: () => true,
      listDirectory: () => ["kustomization.yaml"],
    };
    expect(buildKustomization(tree, "k")).toMatchObject({ ok: false, reason: expect.stringMatching(/disk on fire/) });
  });
});
