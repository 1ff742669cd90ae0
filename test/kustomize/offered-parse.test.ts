/**
 * The engine offers the render its own YAML 1.2 parse of each file. A kustomization is read as YAML 1.1 (like
 * kustomize): the offered parse is used only when it reads the same, so a render with offered parses equals one
 * without, whatever 1.1 reads differently (booleans like `on`, octal, timestamps, duplicate keys, merge keys).
 */
import { describe, expect, it } from "@jest/globals";
import type { Document } from "yaml";
import { buildKustomization, memoryTree, type BuildResult, type RenderedResource } from "../../src/kustomize/index.js";
import { parseYamlFile } from "../../src/parse/yaml-file.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

const DEPLOYMENT = lines(
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: web",
  "spec:",
  "  selector: {matchLabels: {app: web}}",
  "  template:",
  "    metadata: {labels: {app: web}}",
  "    spec:",
  "      containers:",
  "        - name: web",
  "          image: ghcr.io/acme/web:1.0.0",
);

/** What the engine hands over: its own parse (YAML 1.2 with YAML 1.1's yes/on/no/off booleans, duplicate keys allowed). */
function offered(files: Record<string, string>) {
  let calls = 0;
  const parsedDocuments = (path: string, text: string): readonly Document.Parsed[] | null => {
    calls++;
    return files[path] === text ? (parseYamlFile(path, text).yamlDocuments ?? null) : null;
  };
  return { parsedDocuments, calls: () => calls };
}

function summary(r: BuildResult): unknown {
  return r.ok
    ? { ok: true, values: r.resources.map((x) => x.value), origins: r.resources.map((x) => x.originOf(["metadata", "labels"], "value")), files: r.files }
    : { ok: false, reason: r.reason, files: r.files };
}

const KUSTOMIZATIONS: Record<string, string> = {
  plain: lines("resources: [deployment.yaml]", "namePrefix: prod-", "commonLabels:", "  team: web", "images:", "  - name: ghcr.io/acme/web", "    newTag: v1.2.3"),
  "1.1 booleans": lines("resources: [deployment.yaml]", "commonAnnotations:", "  enabled: on", "  legacy: yes"),
  "octal and numbers": lines("resources: [deployment.yaml]", "images:", "  - name: ghcr.io/acme/web", "    newTag: 0755", "replicas:", "  - name: web", "    count: 3"),
  timestamp: lines("resources: [deployment.yaml]", "commonAnnotations:", "  released: 2024-01-02"),
  "duplicate keys": lines("resources: [deployment.yaml]", "namePrefix: a-", "namePrefix: b-"),
  "merge key": lines("resources: [deployment.yaml]", "x: &a {team: web}", "commonLabels:", "  <<: *a"),
  tag: lines("resources: [deployment.yaml]", "namePrefix: !!str prod-"),
};

describe("offered YAML 1.2 parses and kustomization files (read as YAML 1.1)", () => {
  for (const [name, kustomization] of Object.entries(KUSTOMIZATIONS)) {
    it(`renders the same with and without the offered parse: ${name}`, () => {
      const files = { "app/kustomization.yaml": kustomization, "app/deployment.yaml": DEPLOYMENT };
      const own = buildKustomization(memoryTree(files), "app");
      const hook = offered(files);
      const withOffered = buildKustomization(memoryTree(files), "app", { parsedDocuments: hook.parsedDocuments });
      expect(hook.calls()).toBeGreaterThan(0);
      expect(summary(withOffered)).toEqual(summary(own));
    });
  }

  it("a resource's plain keys n, y, on, off, yes, no stay those strings (the engine's parse reads them as booleans)", () => {
    const cm = lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: cm", "data:", "  n: a", "  y: b", "  on: c", "  off: d", "  yes: e", "  No: f");
    const files = { "app/kustomization.yaml": lines("resources: [cm.yaml]"), "app/cm.yaml": cm };
    const r = buildKustomization(memoryTree(files), "app", { parsedDocuments: offered(files).parsedDocuments });
    if (!r.ok) throw new Error(r.reason);
    expect((r.resources[0]!.value as { data: Record<string, string> }).data).toEqual({ n: "a", y: "b", on: "c", off: "d", yes: "e", No: "f" });
    expect(r.resources[0]!.originOf(["data", "on"], "key")).toMatchObject({ file: "app/cm.yaml", line: 8 });
    expect(summary(r)).toEqual(summary(buildKustomization(memoryTree(files), "app")));
  });

  it("still reads 1.1 booleans as booleans (an annotation value must be a string)", () => {
    const files = { "app/kustomization.yaml": KUSTOMIZATIONS["1.1 booleans"]!, "app/deployment.yaml": DEPLOYMENT };
    const r = buildKustomization(memoryTree(files), "app", { parsedDocuments: offered(files).parsedDocuments });
    const own = buildKustomization(memoryTree(files), "app");
    expect(r.ok).toBe(own.ok);
    if (r.ok) expect((r.resources[0]!.value as { metadata: { annotations: Record<string, unknown> } }).metadata.annotations.enabled).not.toBe("on");
  });

  it("a resource's plain yes/on stay the strings kustomize (go-yaml v3) reads, though the engine's parse reads booleans", () => {
    const deployment = DEPLOYMENT.replace("  name: web\n", "  name: web\n  annotations: {legacy: yes, flag: on, real: true}\n") + lines("          args: [yes, on, n, 'yes']");
    const files = { "app/kustomization.yaml": KUSTOMIZATIONS.plain!, "app/deployment.yaml": deployment };
    const own = buildKustomization(memoryTree(files), "app");
    const withOffered = buildKustomization(memoryTree(files), "app", { parsedDocuments: offered(files).parsedDocuments });
    expect(summary(withOffered)).toEqual(summary(own));
    if (!withOffered.ok) throw new Error(withOffered.reason);
    const value = withOffered.resources[0]!.value as { metadata: { annotations: Record<string, unknown> }; spec: { template: { spec: { containers: Array<{ args: unknown[] }> } } } };
    expect(value.metadata.annotations).toEqual({ legacy: "yes", flag: "on", real: "true" });
    expect(value.spec.template.spec.containers[0]!.args).toEqual(["yes", "on", "n", "yes"]);
    // The engine's own reading, for files judged alone: booleans, as kubectl apply reads them.
    expect((parseYamlFile("app/deployment.yaml", deployment).docs[0]!.value as typeof value).metadata.annotations.legacy).toBe(true);
  });

  it("refuses a duplicate key in a resource file, as kustomize does, although the offered parse allows it", () => {
    const files = { "app/kustomization.yaml": KUSTOMIZATIONS.plain!, "app/deployment.yaml": `${DEPLOYMENT}  replicas: 1\n  replicas: 2\n` };
    const r = buildKustomization(memoryTree(files), "app", { parsedDocuments: offered(files).parsedDocuments });
    expect(r).toMatchObject({ ok: false, reason: 'app/deployment.yaml:14:3: invalid YAML: mapping key "replicas" already defined at line 13' });
  });

  it("reads the last of duplicate keys in a kustomization, as kustomize does (kubectl kustomize: b-web)", () => {
    const files = { "app/kustomization.yaml": KUSTOMIZATIONS["duplicate keys"]!, "app/deployment.yaml": DEPLOYMENT };
    const r = buildKustomization(memoryTree(files), "app", { parsedDocuments: offered(files).parsedDocuments });
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources.map((x) => x.resource.name)).toEqual(["b-web"]);
  });
});

/**
 * A resource no transform changed is, as a plain value, what the engine's parse already computed: the render hands
 * that value over rather than converting its own tree again. Only when the conversion read every scalar and key as
 * the parse did: otherwise (go-yaml reads `yes`, `0755`, a timestamp differently; aliases, merge keys) it converts.
 */
describe("plain values of resources the build left untouched", () => {
  function withParses(files: Record<string, string>) {
    const values = new Map<string, unknown[]>();
    const parsedDocuments = (path: string, text: string): readonly Document.Parsed[] | null => {
      if (files[path] !== text) return null;
      const parsed = parseYamlFile(path, text);
      values.set(path, parsed.docs.map((d) => d.value));
      return parsed.yamlDocuments ?? null;
    };
    return { parsedDocuments, values };
  }

  it("an untouched resource's value is the parse's own value", () => {
    const files = { "app/kustomization.yaml": lines("resources: [deployment.yaml]"), "app/deployment.yaml": DEPLOYMENT + lines("---", "apiVersion: v1", "kind: Service", "metadata: {name: web}") };
    const hook = withParses(files);
    const r = buildKustomization(memoryTree(files), "app", { parsedDocuments: hook.parsedDocuments });
    if (!r.ok) throw new Error(r.reason);
    const [deployment, service] = hook.values.get("app/deployment.yaml")!;
    const byKind = (kind: string): unknown => r.resources.find((x) => x.resource.kind === kind)?.value;
    expect(byKind("Deployment")).toBe(deployment);
    expect(byKind("Service")).toBe(service);
  });

  it("a transformed resource gets its own value, with the change", () => {
    const files = { "app/kustomization.yaml": lines("resources: [deployment.yaml]", "namePrefix: prod-"), "app/deployment.yaml": DEPLOYMENT };
    const hook = withParses(files);
    const r = buildKustomization(memoryTree(files), "app", { parsedDocuments: hook.parsedDocuments });
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources[0]!.value).not.toBe(hook.values.get("app/deployment.yaml")![0]);
    expect((r.resources[0]!.value as { metadata: { name: string } }).metadata.name).toBe("prod-web");
    expect(summary(r)).toEqual(summary(buildKustomization(memoryTree(files), "app")));
  });

  const READ_OTHERWISE: Record<string, string[]> = {
    "yes/on booleans": ["  annotations: {legacy: yes, flag: on}"],
    "octal number": ["  annotations: {mode: '0755'}", "  labels: {app: x}", "data:", "  mode: 0755"],
    "underscore number": ["data:", "  num: 1_000"],
    timestamp: ["data:", "  at: 2024-01-02"],
    "tagged scalar": ["data:", "  num: !!str 12", "  b: !!binary aGVsbG8="],
    alias: ["  labels: &l {app: web}", "  annotations: *l"],
    "merge key": ["  labels: &l {app: web}", "  annotations: {<<: *l, own: x}"],
    "__proto__ key": ["data:", "  '__proto__': {polluted: x}"],
    "folded block kept": ["data:", "  t: >+", "    x", "", "other: y"],
  };
  for (const [name, extra] of Object.entries(READ_OTHERWISE)) {
    it(`a value the two readings differ on is the render's own reading: ${name}`, () => {
      const files = { "app/kustomization.yaml": lines("resources: [cm.yaml]"), "app/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: cm", ...extra) };
      const own = buildKustomization(memoryTree(files), "app");
      const r = buildKustomization(memoryTree(files), "app", { parsedDocuments: withParses(files).parsedDocuments });
      expect(summary(r)).toEqual(summary(own));
      if (r.ok && own.ok) {
        expect(JSON.stringify(r.resources[0]!.value)).toBe(JSON.stringify(own.resources[0]!.value));
        const data = (x: RenderedResource): object => (x.value as { data?: object }).data ?? {};
        expect(Object.getOwnPropertyNames(data(r.resources[0]!))).toEqual(Object.getOwnPropertyNames(data(own.resources[0]!)));
      }
    });
  }
});
