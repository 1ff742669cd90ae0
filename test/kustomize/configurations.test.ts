/**
 * `configurations:` (custom transformer field specs): values a transformer writes through a custom spec point at
 * the kustomization line that asked for them, as with built-in fields; which kustomization's files reach which
 * transformers; and the refusals, with reasons.
 */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree } from "../../src/kustomize/index.js";
import { at, find, lines, ok } from "./render-helpers.js";

const RUNNER = lines(
  "apiVersion: ci.acme.io/v1", // 1
  "kind: Runner", // 2
  "metadata:", // 3
  "  name: build", // 4
  "spec:", // 5
  "  runner:", // 6
  "    image: ghcr.io/acme/runner:main", // 7
  "  configRef: settings", // 8
  "  template:", // 9
  "    metadata:", // 10
  "      labels: {app: build}", // 11
);

const CONFIG = lines(
  "images:",
  "  - path: spec/runner/image",
  "    kind: Runner",
  "commonLabels:",
  "  - path: spec/template/metadata/labels",
  "    kind: Runner",
  "    create: true",
  "nameReference:",
  "  - kind: ConfigMap",
  "    version: v1",
  "    fieldSpecs:",
  "      - path: spec/configRef",
  "        kind: Runner",
);

const KUSTOMIZATION = lines(
  "resources: [runner.yaml]", // 1
  "namePrefix: ci-", // 2
  "configurations: [kustomizeconfig.yaml]", // 3
  "configMapGenerator:", // 4
  "  - name: settings", // 5
  "    literals: [A=1]", // 6
  "commonLabels:", // 7
  "  team: build", // 8
  "images:", // 9
  "  - name: ghcr.io/acme/runner", // 10
  "    newTag: v2.0.1", // 11
);

type RunnerValue = { spec: { runner: { image: string }; configRef: string; template: { metadata: { labels: Record<string, string> } } } };

describe("configurations: origins through custom field specs", () => {
  const tree = memoryTree({ "app/runner.yaml": RUNNER, "app/kustomizeconfig.yaml": CONFIG, "app/kustomization.yaml": KUSTOMIZATION });
  const r = ok(buildKustomization(tree, "app"));
  const runner = find(r, "Runner");
  const value = runner.value as RunnerValue;

  it("an image set through a custom spec points at the images: entry's newTag line", () => {
    expect(value.spec.runner.image).toBe("ghcr.io/acme/runner:v2.0.1");
    expect(at(runner, ["spec", "runner", "image"])).toBe("app/kustomization.yaml:11:13");
  });

  it("a label written into a CRD's template points at the commonLabels entry", () => {
    expect(value.spec.template.metadata.labels).toEqual({ app: "build", team: "build" });
    expect(at(runner, ["spec", "template", "metadata", "labels", "team"])).toBe("app/kustomization.yaml:8:9");
  });

  it("a CRD's reference to a generated ConfigMap follows its prefix and hash, pointing at the generator", () => {
    const cm = find(r, "ConfigMap");
    expect(cm.resource.name).toMatch(/^ci-settings-[a-z0-9]{10}$/);
    expect(value.spec.configRef).toBe(cm.resource.name);
    expect(runner.originOf(["spec", "configRef"]).file).toBe("app/kustomization.yaml");
  });

  it("without the file, none of this happens (the built-in specs do not know the CRD)", () => {
    const plain = memoryTree({ "app/runner.yaml": RUNNER, "app/kustomization.yaml": KUSTOMIZATION.replace("configurations: [kustomizeconfig.yaml]\n", "") });
    const v = find(ok(buildKustomization(plain, "app")), "Runner").value as RunnerValue;
    expect(v.spec.runner.image).toBe("ghcr.io/acme/runner:main");
    expect(v.spec.configRef).toBe("settings");
    expect(v.spec.template.metadata.labels).toEqual({ app: "build" });
  });
});

describe("configurations: which transformers see which files", () => {
  const base = { "base/runner.yaml": RUNNER, "base/kustomizeconfig.yaml": CONFIG };
  const image = (files: Record<string, string>, root: string) => (find(ok(buildKustomization(memoryTree(files), root)), "Runner").value as RunnerValue).spec.runner.image;

  it("a base's file reaches its overlay's images:", () => {
    const files = {
      ...base,
      "base/kustomization.yaml": lines("resources: [runner.yaml]", "configurations: [kustomizeconfig.yaml]"),
      "prod/kustomization.yaml": lines("resources: [../base]", "images:", "  - name: ghcr.io/acme/runner", "    newTag: prod"),
    };
    expect(image(files, "prod")).toBe("ghcr.io/acme/runner:prod");
  });

  it("an overlay's file does not reach its base's own images:", () => {
    const files = {
      "base/runner.yaml": RUNNER,
      "base/kustomization.yaml": lines("resources: [runner.yaml]", "images:", "  - name: ghcr.io/acme/runner", "    newTag: base"),
      "prod/kustomizeconfig.yaml": CONFIG,
      "prod/kustomization.yaml": lines("resources: [../base]", "configurations: [kustomizeconfig.yaml]"),
    };
    expect(image(files, "prod")).toBe("ghcr.io/acme/runner:main");
  });
});

describe("configurations: refusals with reasons", () => {
  const build = (config: string) =>
    buildKustomization(memoryTree({ "app/runner.yaml": RUNNER, "app/kustomizeconfig.yaml": config, "app/kustomization.yaml": KUSTOMIZATION }), "app");

  it("refuses what Kustomize's strict decode refuses: unknown fields, wrong types", () => {
    expect(build("images:\n  - path: a\n    kinds: Runner\n")).toMatchObject({ ok: false, reason: expect.stringMatching(/kustomizeconfig\.yaml: .*images\[0\]: unknown field "kinds"/) });
    expect(build("images: spec/runner/image\n")).toMatchObject({ ok: false, reason: expect.stringMatching(/images: expected a list/) });
    expect(build("images:\n  - path: a\n    version: 1\n")).toMatchObject({ ok: false, reason: expect.stringMatching(/images\[0\]\.version: expected a string/) });
    expect(build("images:\n  - path: a\n    create: \"true\"\n")).toMatchObject({ ok: false, reason: expect.stringMatching(/images\[0\]\.create: expected true or false/) });
  });

  it("refuses a spec that conflicts with a built-in one, naming the kustomization", () => {
    expect(build("commonLabels:\n  - path: metadata/labels\n")).toMatchObject({ ok: false, reason: expect.stringMatching(/^app\/kustomization\.yaml: failed to merge commonLabels fieldSpec: conflicting fieldspecs/) });
  });

  it("reads keys without regard to case, and only the first document, as sigs.k8s.io/yaml does", () => {
    const r = build("IMAGES:\n  - Path: spec/runner/image\n    KIND: Runner\n---\nbogus: 1\n");
    expect((find(ok(r), "Runner").value as RunnerValue).spec.runner.image).toBe("ghcr.io/acme/runner:v2.0.1");
  });

  it("refuses a file outside the kustomization's directory", () => {
    const tree = memoryTree({ "app/runner.yaml": RUNNER, "shared/c.yaml": CONFIG, "app/kustomization.yaml": lines("resources: [runner.yaml]", "configurations: [../shared/c.yaml]") });
    expect(buildKustomization(tree, "app")).toMatchObject({ ok: false, reason: expect.stringMatching(/configurations file "\.\.\/shared\/c\.yaml": security/) });
  });
});
