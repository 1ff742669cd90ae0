/**
 * YAML merge keys (`<<: *anchor`) rendered as Kustomize applies them — kyaml's DeAnchor in resources and patches
 * (the map's own keys win wherever they are written), go-yaml v2 in a kustomization (keys in written order) — with
 * every merged value at the line where the anchor writes it. The objects themselves are checked against kubectl by
 * the differential test (fixtures/merge-keys, fixtures/failures/merge-key-scalar).
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Document } from "yaml";
import { buildKustomization, memoryTree } from "../../src/kustomize/index.js";
import { parseYamlFile } from "../../src/parse/yaml-file.js";
import { lines as repoLines, scanRepo, where } from "../engine/kustomize-helpers.js";
import { at, find, lines, ok } from "./render-helpers.js";

const FIXTURE = "test/kustomize/fixtures/merge-keys";
const FILES = ["base/deployment.yaml", "base/kustomization.yaml", "overlay/kustomization.yaml", "overlay/patch.yaml"];
const files = Object.fromEntries(FILES.map((f) => [`mk/${f}`, readFileSync(join(FIXTURE, f), "utf8")]));

const AGENT = ["spec", "template", "spec", "containers", 1] as const;
const HELPER = ["spec", "template", "spec", "containers", 0] as const;

describe("YAML merge keys in resources, patches and kustomizations", () => {
  const r = ok(buildKustomization(memoryTree(files), "mk/overlay"));
  const dep = find(r, "Deployment");
  const value = dep.value as { spec: { template: { spec: { containers: { securityContext: Record<string, unknown> }[] } } } };

  it("merges an anchored securityContext into the container, the map's own keys added", () => {
    expect(value.spec.template.spec.containers[1]!.securityContext).toEqual({ privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: true });
  });

  it("a list of maps: the first that has a key wins, own keys win over all of them", () => {
    expect(value.spec.template.spec.containers[0]!.securityContext).toEqual({ privileged: true, runAsUser: 1000, allowPrivilegeEscalation: false });
  });

  it("points a merged value at the line the anchor writes it, in the base", () => {
    expect(at(dep, [...AGENT, "securityContext", "privileged"])).toBe("mk/base/deployment.yaml:24:27");
    expect(at(dep, [...HELPER, "securityContext", "privileged"])).toBe("mk/base/deployment.yaml:24:27");
    expect(at(dep, [...HELPER, "securityContext", "runAsUser"])).toBe("mk/base/deployment.yaml:30:62");
    expect(at(dep, [...HELPER, "securityContext", "allowPrivilegeEscalation"])).toBe("mk/base/deployment.yaml:31:39");
    expect(dep.originOf([...AGENT, "securityContext", "privileged"], "key")).toMatchObject({ file: "mk/base/deployment.yaml", line: 24, column: 15 });
  });

  it("a merge key in a strategic-merge patch merges there, at the patch's lines", () => {
    expect(at(dep, [...HELPER, "resources", "requests", "memory"])).toBe("mk/overlay/patch.yaml:12:23");
    expect(at(dep, [...HELPER, "resources", "requests", "cpu"])).toBe("mk/overlay/patch.yaml:15:20");
  });

  it("a kustomization's merge key: keys before it are overridden, keys after it win (go-yaml v2)", () => {
    expect((dep.value as { metadata: { annotations: unknown } }).metadata.annotations).toEqual({ env: "prod", team: "written-after-the-merge-key" });
    expect(at(dep, ["metadata", "annotations", "env"])).toBe("mk/overlay/kustomization.yaml:6:8");
  });

  it("renders the same with the review's own parse of the files (merge keys read as the library's `<<`)", () => {
    const parsedDocuments = (path: string, text: string): readonly Document.Parsed[] | null => parseYamlFile(path, text).yamlDocuments ?? null;
    const offered = ok(buildKustomization(memoryTree(files), "mk/overlay", { parsedDocuments }));
    const other = find(offered, "Deployment");
    expect(other.value).toEqual(dep.value);
    expect(at(other, [...AGENT, "securityContext", "privileged"])).toBe("mk/base/deployment.yaml:24:27");
  });

  it("refuses what kyaml refuses, without quoting the file", () => {
    const refused = (data: string) => buildKustomization(memoryTree({ "k/kustomization.yaml": "resources: [cm.yaml]\n", "k/cm.yaml": lines("kind: ConfigMap", "metadata: {name: c}", "a: &a {x: secret-ish}", "data:", data) }), "k");
    expect(refused('  <<: "s3cr3t"')).toEqual({ ok: false, reason: "k/cm.yaml: map merge requires map or sequence of maps as the value", files: expect.any(Array) });
    expect(refused("  <<: [[*a]]")).toMatchObject({ ok: false, reason: "k/cm.yaml: invalid map merge: received a nested sequence" });
    expect(refused("  <<: *a\n  <<: *a")).toMatchObject({ ok: false, reason: expect.stringMatching(/^k\/cm\.yaml:/) });
    expect(refused("  <<: {y: 1, <<: *a}")).toMatchObject({ ok: false, reason: "k/cm.yaml: a merge key inside a map merged in from the same map is not supported" });
  });

  it("a quoted \"<<\" is an ordinary key", () => {
    const r2 = ok(buildKustomization(memoryTree({ "k/kustomization.yaml": "resources: [cm.yaml]\n", "k/cm.yaml": lines("kind: ConfigMap", "metadata: {name: c}", "data:", '  "<<": x') }), "k"));
    expect((r2.resources[0]!.value as { data: unknown }).data).toEqual({ "<<": "x" });
  });
});

describe("a privileged container written through a merge key in a base is found through the overlay", () => {
  it("reports k8s/privileged-container at the anchor's line, rendered from the overlay", () => {
    const repo = {
      "apps/agent/base/kustomization.yaml": repoLines("resources:", "  - ds.yaml"),
      "apps/agent/base/ds.yaml": repoLines(
        "apiVersion: apps/v1", // 1
        "kind: DaemonSet", // 2
        "metadata:", // 3
        "  name: agent", // 4
        "x-defaults:", // 5
        "  securityContext: &priv", // 6
        "    privileged: true", // 7
        "spec:", // 8
        "  selector: {matchLabels: {app: agent}}", // 9
        "  template:", // 10
        "    metadata: {labels: {app: agent}}", // 11
        "    spec:", // 12
        "      containers:", // 13
        "        - name: agent", // 14
        "          image: ghcr.io/acme/agent:1.0.0", // 15
        "          securityContext:", // 16
        "            <<: *priv", // 17
        "            runAsNonRoot: true", // 18
      ),
      "apps/agent/overlays/prod/kustomization.yaml": repoLines("resources:", "  - ../../base", "namespace: prod"),
    };
    const r = scanRepo(repo);
    expect(r.notes.join("\n")).not.toMatch(/not rendered/);
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/agent/base/ds.yaml:7:17 new"]);
    expect(r.findings.find((f) => f.ruleId === "k8s/privileged-container")!.renderedFrom).toEqual(["apps/agent/overlays/prod"]);
  });
});
