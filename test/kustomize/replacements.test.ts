/**
 * Kustomize `replacements` in the in-process render: line-exact origins of replaced values (the source value's
 * line; created keys at the target's field path), go-yaml's typing of copied text, and failures with kustomize's
 * reasons. The differential test (differential.test.ts) compares whole renders of the replacements fixtures with
 * `kubectl kustomize`.
 */
import { describe, expect, it } from "@jest/globals";
import type { JsonPath } from "../../src/core/path.js";
import { buildKustomization, memoryTree, type BuildResult, type RenderedResource } from "../../src/kustomize/index.js";
import { at, find, lines, ok } from "./render-helpers.js";

/** Where the key at `path` was written, as `file:line:column`. */
const keyAt = (res: RenderedResource, path: JsonPath) => {
  const o = res.originOf(path, "key");
  return `${o.file}:${o.line}:${o.column}`;
};

function valueAt(res: RenderedResource, path: JsonPath): unknown {
  let v: unknown = res.value;
  for (const seg of path) v = (v as Record<string | number, unknown>)[seg];
  return v;
}

const C = ["spec", "template", "spec", "containers"] as const;

const APP = {
  "app/config.yaml": lines(
    "apiVersion: v1", // 1
    "kind: ConfigMap", // 2
    "metadata:", // 3
    "  name: app-config", // 4
    "data:", // 5
    "  image: ghcr.io/acme/api:2.4.1", // 6
    "  host: registry.example.com:5000", // 7
    '  privileged: "true"', // 8
  ),
  "app/defaults.yaml": lines(
    "apiVersion: example.com/v1", // 1
    "kind: Defaults", // 2
    "metadata:", // 3
    "  name: defaults", // 4
    "spec:", // 5
    "  resources:", // 6
    "    limits:", // 7
    "      cpu: 500m", // 8
    "      memory: 256Mi", // 9
  ),
  "app/deployment.yaml": lines(
    "apiVersion: apps/v1", // 1
    "kind: Deployment", // 2
    "metadata:", // 3
    "  name: api", // 4
    "spec:", // 5
    "  replicas: 1", // 6
    "  template:", // 7
    "    spec:", // 8
    "      containers:", // 9
    "        - name: api", // 10
    "          image: placeholder", // 11
    "          resources: {}", // 12
    "        - name: proxy", // 13
    "          image: acme/envoy:1.31", // 14
  ),
  "app/kustomization.yaml": lines(
    "resources:", // 1
    "  - config.yaml", // 2
    "  - defaults.yaml", // 3
    "  - deployment.yaml", // 4
    "configMapGenerator:", // 5
    "  - name: generated", // 6
    "    literals:", // 7
    "      - replicas=3", // 8
    "replacements:", // 9
    "  - source: {kind: ConfigMap, name: app-config, fieldPath: data.image}", // 10
    "    targets:", // 11
    "      - select: {kind: Deployment}", // 12
    "        fieldPaths:", // 13
    "          - spec.template.spec.containers.[name=api].image", // 14
    "  - source: {kind: ConfigMap, name: app-config, fieldPath: data.host}", // 15
    "    targets:", // 16
    "      - select: {kind: Deployment}", // 17
    "        fieldPaths:", // 18
    "          - spec.template.spec.containers.[name=proxy].image", // 19
    "        options: {delimiter: /, index: -1}", // 20
    "  - source: {kind: Defaults, fieldPath: spec.resources}", // 21
    "    targets:", // 22
    "      - select: {kind: Deployment}", // 23
    "        fieldPaths:", // 24
    "          - spec.template.spec.containers.0.resources", // 25
    "  - source: {kind: ConfigMap, name: app-config, fieldPath: data.privileged}", // 26
    "    targets:", // 27
    "      - select: {kind: Deployment}", // 28
    "        fieldPaths:", // 29
    "          - spec.template.spec.containers.[name=api].securityContext.privileged", // 30
    "        options: {create: true}", // 31
    "  - source: {kind: ConfigMap, name: generated, fieldPath: data.replicas}", // 32
    "    targets:", // 33
    "      - select: {kind: Deployment}", // 34
    "        fieldPaths: [spec.replicas]", // 35
  ),
};

describe("origins of replaced values", () => {
  const r = ok(buildKustomization(memoryTree(APP), "app"));
  const dep = find(r, "Deployment");

  it("points a whole scalar copied from a ConfigMap at the source value's line", () => {
    expect(valueAt(dep, [...C, 0, "image"])).toBe("ghcr.io/acme/api:2.4.1");
    expect(at(dep, [...C, 0, "image"])).toBe("app/config.yaml:6:10");
  });

  it("points a string only partly replaced (delimiter) at the source value too", () => {
    expect(valueAt(dep, [...C, 1, "image"])).toBe("registry.example.com:5000/acme/envoy:1.31");
    expect(at(dep, [...C, 1, "image"])).toBe("app/config.yaml:7:9");
  });

  it("keeps every origin inside a copied map", () => {
    expect(valueAt(dep, [...C, 0, "resources"])).toEqual({ limits: { cpu: "500m", memory: "256Mi" } });
    expect(at(dep, [...C, 0, "resources", "limits", "cpu"])).toBe("app/defaults.yaml:8:12");
    expect(at(dep, [...C, 0, "resources", "limits", "memory"])).toBe("app/defaults.yaml:9:15");
  });

  it("points a created field's value at the source and its keys at the field path that created them", () => {
    expect(valueAt(dep, [...C, 0, "securityContext", "privileged"])).toBe(true);
    expect(at(dep, [...C, 0, "securityContext", "privileged"])).toBe("app/config.yaml:8:15");
    expect(keyAt(dep, [...C, 0, "securityContext", "privileged"])).toBe("app/kustomization.yaml:30:13");
    expect(keyAt(dep, [...C, 0, "securityContext"])).toBe("app/kustomization.yaml:30:13");
  });

  it("points a value from a generated ConfigMap at the generator's literal, typed like the target (an int)", () => {
    expect(valueAt(dep, ["spec", "replicas"])).toBe(3);
    expect(at(dep, ["spec", "replicas"])).toBe("app/kustomization.yaml:8:9");
  });

  it("leaves untouched values where they were and lists the files values came from", () => {
    expect(at(dep, [...C, 1, "name"])).toBe("app/deployment.yaml:13:17");
    expect(dep.sourceFiles).toEqual(expect.arrayContaining(["app/deployment.yaml", "app/config.yaml", "app/defaults.yaml", "app/kustomization.yaml"]));
    expect(r.notes).toEqual([]);
  });
});

describe("replacements from files and through overlays", () => {
  const tree = memoryTree({
    "base/res.yaml": lines(
      "apiVersion: v1", // 1
      "kind: ConfigMap", // 2
      "metadata:", // 3
      "  name: settings", // 4
      "data:", // 5
      "  account: runner", // 6
      "---",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: app",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: app",
      "          image: ghcr.io/acme/app:1.0.0",
    ),
    "base/kustomization.yaml": lines("resources: [res.yaml]"),
    "prod/kustomization.yaml": lines("resources: [../base]", "namePrefix: prod-", "replacements:", "  - path: replacements.yaml"),
    "prod/replacements.yaml": lines(
      "source:", // 1
      "  kind: ConfigMap", // 2
      "  name: settings", // 3
      "  fieldPath: data.account", // 4
      "targets:", // 5
      "  - select: {kind: Deployment, name: app}", // 6
      "    fieldPaths:", // 7
      "      - spec.template.spec.serviceAccountName", // 8
      "    options: {create: true}", // 9
    ),
  });
  const r = ok(buildKustomization(tree, "prod"));
  const dep = find(r, "Deployment");

  it("selects source and target by their names before the overlay's prefix and points at the base's value", () => {
    expect(dep.resource.name).toBe("prod-app");
    expect(valueAt(dep, ["spec", "template", "spec", "serviceAccountName"])).toBe("runner");
    expect(at(dep, ["spec", "template", "spec", "serviceAccountName"])).toBe("base/res.yaml:6:12");
    expect(keyAt(dep, ["spec", "template", "spec", "serviceAccountName"])).toBe("prod/replacements.yaml:8:9");
    expect(r.files).toContain("prod/replacements.yaml");
  });
});

function render(replacements: string, resources: string): BuildResult {
  return buildKustomization(memoryTree({ "k/kustomization.yaml": `resources: [res.yaml]\nreplacements:\n${replacements}`, "k/res.yaml": resources }), "k");
}

const CM_AND_POD = lines(
  "apiVersion: v1",
  "kind: ConfigMap",
  "metadata: {name: cfg}",
  "data:",
  "  image: nginx:1.27",
  '  count: "5"',
  "  hex: 0x10",
  "  list: a,b,c",
  "---",
  "apiVersion: v1",
  "kind: Pod",
  "metadata: {name: p}",
  "spec:",
  "  replicas: 1",
  '  label: "1"',
  "  flag: false",
  "  empty:",
  "  containers:",
  "    - {name: app, image: x}",
  "    - {name: app-proxy, image: y}",
  "    - {name: metrics, image: z}",
);

const one = (source: string, fieldPath: string, options = "") =>
  lines(`  - source: ${source}`, "    targets:", "      - select: {kind: Pod}", `        fieldPaths: ['${fieldPath}']`, ...(options ? [`        options: ${options}`] : []));

function pod(r: BuildResult): RenderedResource {
  return find(ok(r), "Pod");
}

describe("what a replacement writes, typed as go-yaml types it", () => {
  it("keeps the target's type: a string into an int field is an int, a number into a string field a string", () => {
    const p = pod(render(one("{kind: ConfigMap, fieldPath: data.count}", "spec.replicas") + one("{kind: ConfigMap, fieldPath: data.hex}", "spec.label"), CM_AND_POD));
    expect(valueAt(p, ["spec", "replicas"])).toBe(5);
    // The source's own spelling is copied, not the number it reads as.
    expect(valueAt(p, ["spec", "label"])).toBe("0x10");
  });

  it("gives a created field the type its text reads as", () => {
    const p = pod(render(one("{kind: ConfigMap, fieldPath: data.count}", "spec.created", "{create: true}"), CM_AND_POD));
    expect(valueAt(p, ["spec", "created"])).toBe(5);
  });

  it("matches [name=…] as an unanchored pattern in targets (app and app-proxy), and * reaches every item", () => {
    const p = pod(render(one("{kind: ConfigMap, fieldPath: data.image}", "spec.containers.[name=app].image"), CM_AND_POD));
    expect((valueAt(p, ["spec", "containers"]) as { image: string }[]).map((c) => c.image)).toEqual(["nginx:1.27", "nginx:1.27", "z"]);
    const all = pod(render(one("{kind: ConfigMap, fieldPath: data.image}", "spec.containers.*.image"), CM_AND_POD));
    expect((valueAt(all, ["spec", "containers"]) as { image: string }[]).map((c) => c.image)).toEqual(["nginx:1.27", "nginx:1.27", "nginx:1.27"]);
  });

  it("takes one part of the source with a delimiter and index", () => {
    const p = pod(render(one("{kind: ConfigMap, fieldPath: data.list, options: {delimiter: ',', index: 1}}", "spec.containers.0.image"), CM_AND_POD));
    expect(valueAt(p, ["spec", "containers", 0, "image"])).toBe("b");
  });

  it("notes a target that selects nothing (kustomize says nothing)", () => {
    const r = ok(render(lines("  - source: {kind: ConfigMap}", "    targets:", "      - select: {kind: Deployment}"), CM_AND_POD));
    expect(r.notes).toEqual(["k/kustomization.yaml: replacements[0].targets[0]: the select matches no resource"]);
  });
});

describe("replacements kustomize refuses: a failure with its reason, never a throw", () => {
  const fails = (replacements: string, reason: RegExp) => {
    const r = render(replacements, CM_AND_POD);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  };

  it("a source selecting several resources, or none", () => {
    fails(one("{version: v1}", "spec.label"), /replacements\[0\]: multiple matches for selector \[noKind\]\.v1\.\[noGrp\]\/\[noName\]\.\[noNs\]/);
    fails(one("{kind: Secret}", "spec.label"), /nothing selected by Secret\.\[noVer\]\.\[noGrp\]\/\[noName\]\.\[noNs\]/);
  });

  it("a source field that is missing, or a target field that is missing without create", () => {
    fails(one("{kind: ConfigMap, fieldPath: data.nope}", "spec.label"), /fieldPath `data\.nope` is missing for replacement source ConfigMap/);
    fails(one("{kind: ConfigMap}", "spec.nope"), /unable to find field "spec\.nope" in replacement target/);
  });

  it("a value the target's type cannot hold, and a delimiter on a map", () => {
    fails(one("{kind: ConfigMap, fieldPath: data.image}", "spec.replicas"), /cannot decode !!str `nginx:1\.27` as a !!int/);
    fails(one("{kind: ConfigMap, fieldPath: data.image}", "spec.empty"), /cannot decode !!str `nginx:1\.27` as a !!null/);
    fails(one("{kind: ConfigMap, fieldPath: data.image}", "spec.containers.0", "{delimiter: /}"), /delimiter option can only be used with scalar nodes/);
  });

  it("malformed specs: no target, no select, path and inline together, unknown fields, a file of the wrong shape", () => {
    fails(lines("  - source: {kind: ConfigMap}"), /replacements must specify a source and at least one target/);
    fails(lines("  - source: {kind: ConfigMap}", "    targets: [{fieldPaths: [spec.label]}]"), /target must specify resources to select/);
    fails(lines("  - path: r.yaml", "    source: {kind: ConfigMap}"), /cannot specify both path and inline replacement/);
    fails(lines("  - source: {kind: ConfigMap, fieldpath: data.image}", "    targets: [{select: {kind: Pod}}]"), /unknown field "replacements\[0\]\.source\.fieldpath"/);
    const file = buildKustomization(memoryTree({ "k/kustomization.yaml": "resources: []\nreplacements:\n  - path: r.yaml\n", "k/r.yaml": "just text\n" }), "k");
    expect(file).toMatchObject({ ok: false, reason: expect.stringMatching(/unsupported replacement type encountered within replacement path: string/) });
  });

  it("a created list item its own pattern does not match (kustomize would never finish)", () => {
    fails(one("{kind: ConfigMap}", "spec.containers.[name=^x$].image", "{create: true}"), /does not match the item it would create/);
  });
});
