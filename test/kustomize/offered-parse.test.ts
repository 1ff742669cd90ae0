/**
 * The engine offers the render its own YAML 1.2 parse of each file. A kustomization is read as YAML 1.1 (like
 * kustomize): the offered parse is used only when it reads the same, so a render with offered parses equals one
 * without, whatever 1.1 reads differently (booleans like `on`, octal, timestamps, duplicate keys, merge keys).
 */
import { describe, expect, it } from "@jest/globals";
import type { Document } from "yaml";
import { buildKustomization, memoryTree, type BuildResult } from "../../src/kustomize/index.js";
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

  it("refuses duplicate keys in a kustomization, as kustomize does, although the offered parse allows them", () => {
    const files = { "app/kustomization.yaml": KUSTOMIZATIONS["duplicate keys"]!, "app/deployment.yaml": DEPLOYMENT };
    const r = buildKustomization(memoryTree(files), "app", { parsedDocuments: offered(files).parsedDocuments });
    expect(r.ok).toBe(false);
  });
});
