/**
 * ApplicationSet generators expanded into the source paths of the Applications they generate (issue 11): git
 * directories (with excludes), git files (fasttemplate and goTemplate), list, matrix and merge, templatePatch, and
 * generators whose parameters come from outside the repository.
 */
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { applicationSetReads, applicationSetSourcesIn, applicationSetSourcePaths, type ApplicationSource } from "../../src/kustomize/index.js";
import { applicationSetNames } from "../../src/kustomize/argocd-applicationset.js";
import { toOrigin } from "../../src/kustomize/source.js";
import { get, isOSeq, type OMap } from "../../src/kustomize/onode.js";

const FILES = [
  "apps/common/kustomization.yaml",
  "apps/web/kustomization.yaml",
  "apps/api/overlays/prod/kustomization.yaml",
  "apps/.hidden/kustomization.yaml",
  ".github/workflows/ci.yaml",
  "envs/dev/config.json",
  "envs/prod/config.json",
  "clusters/eu/prod/cluster.yaml",
  "README.md",
];

function expand(yaml: string, contents: Record<string, string> = {}, paths: readonly string[] = FILES): string[] {
  return applicationSetSourcePaths(parse(yaml), { paths, readFile: (p) => contents[p] ?? null });
}

const set = (spec: string) => `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: s\nspec:\n${spec}`;
const template = (path: string) => `  template:\n    metadata:\n      name: x\n    spec:\n      source:\n        repoURL: https://example.com/r.git\n        path: '${path}'\n`;
const dirs = (...entries: string[]) => `  generators:\n    - git:\n        repoURL: https://example.com/r.git\n        directories:\n${entries.map((e) => `          - ${e}\n`).join("")}`;

describe("git directories generator", () => {
  it("matches every directory with Go's path.Match, without dot directories", () => {
    expect(expand(set(dirs("path: apps/*") + template("{{path}}")))).toEqual(["apps/api", "apps/common", "apps/web"]);
  });

  it("an exclude entry wins, whichever comes first", () => {
    expect(expand(set(dirs("path: apps/common\n            exclude: true", "path: apps/*") + template("{{path}}")))).toEqual(["apps/api", "apps/web"]);
  });

  it("fills basename, segments and a pathParamPrefix, and goTemplate fields", () => {
    expect(expand(set(dirs("path: apps/*/overlays/*") + template("{{path[1]}}/{{path.basename}}")))).toEqual(["api/prod"]);
    expect(expand(set(dirs("path: apps/*/overlays/*").replace("        directories", "        pathParamPrefix: app\n        directories") + template("{{app.path}}")))).toEqual(["apps/api/overlays/prod"]);
    expect(expand(set("  goTemplate: true\n" + dirs("path: apps/*/overlays/*") + template("apps/{{index .path.segments 1}}/{{ .path.basename }}")))).toEqual(["apps/api/prod"]);
  });

  it("gives no path for a template it cannot resolve, and does not throw", () => {
    expect(expand(set("  goTemplate: true\n" + dirs("path: apps/*") + template("{{ .path.path | replace \"a\" \"b\" }}")))).toEqual([]);
    expect(expand(set(dirs("path: apps/*") + template("{{cluster}}/{{path}}")))).toEqual([]);
    expect(expand(set(dirs("path: 'apps/[a'") + template("{{path}}")))).toEqual([]);
    expect(expand("kind: ApplicationSet\napiVersion: argoproj.io/v1alpha1\nspec:\n  generators: 3\n")).toEqual([]);
  });
});

describe("git files generator", () => {
  const files = (glob: string, extra = "") => `  generators:\n    - git:\n        repoURL: https://example.com/r.git\n        files:\n          - path: '${glob}'\n${extra}`;

  it("reads each matched JSON file's values (fasttemplate, nested keys flattened)", () => {
    const contents = { "envs/dev/config.json": '{"overlay": {"dir": "overlays/dev"}}', "envs/prod/config.json": '[{"overlay": {"dir": "base"}}]' };
    expect(expand(set(files("envs/*/config.json") + template("apps/{{path.basename}}/{{overlay.dir}}")), contents)).toEqual(["apps/dev/overlays/dev", "apps/prod/base"]);
  });

  it("matches ** over directories, reads YAML, and goTemplate reads nested values and .path.path", () => {
    const contents = { "clusters/eu/prod/cluster.yaml": "app:\n  path: apps/web\n" };
    const yaml = set("  goTemplate: true\n" + files("clusters/**/cluster.yaml") + template("{{.app.path}}"));
    expect(expand(yaml, contents)).toEqual(["apps/web"]);
    expect(expand(set("  goTemplate: true\n" + files("clusters/**/cluster.yaml") + template("{{.path.path}}")), contents)).toEqual(["clusters/eu/prod"]);
    expect(applicationSetReads(parse(yaml), FILES)).toEqual(["clusters/eu/prod/cluster.yaml"]);
  });

  it("leaves out excluded files and files it could not read", () => {
    const contents = { "envs/dev/config.json": '{"d": "apps/web"}', "envs/prod/config.json": '{"d": "apps/common"}' };
    expect(expand(set(files("envs/*/config.json", "          - path: envs/prod/config.json\n            exclude: true\n") + template("{{d}}")), contents)).toEqual(["apps/web"]);
    expect(expand(set(files("envs/*/config.json") + template("{{d}}")), { "envs/dev/config.json": "{not json" })).toEqual([]);
  });
});

describe("list, matrix, merge and other generators", () => {
  it("list elements fill the template", () => {
    const yaml = set("  generators:\n    - list:\n        elements:\n          - env: prod\n          - env: staging\n" + template("apps/api/overlays/{{env}}"));
    expect(expand(yaml)).toEqual(["apps/api/overlays/prod", "apps/api/overlays/staging"]);
  });

  it("a matrix of clusters and git directories gives the directories (the clusters' values are unknown)", () => {
    const yaml = set(
      "  generators:\n    - matrix:\n        generators:\n          - clusters: {}\n          - git:\n              repoURL: https://example.com/r.git\n              directories:\n                - path: apps/*\n                - path: apps/api\n                  exclude: true\n" +
        template("{{path}}"),
    );
    expect(expand(yaml)).toEqual(["apps/common", "apps/web"]);
    // A path that needs a cluster's value is unknown.
    expect(expand(yaml.replace("'{{path}}'", "'{{name}}/{{path}}'"))).toEqual([]);
  });

  it("the second generator of a matrix may use the first one's parameters", () => {
    const yaml = set(
      "  generators:\n    - matrix:\n        generators:\n          - list:\n              elements:\n                - app: api\n          - git:\n              repoURL: https://example.com/r.git\n              directories:\n                - path: 'apps/{{app}}/overlays/*'\n" +
        template("{{path}}"),
    );
    expect(expand(yaml)).toEqual(["apps/api/overlays/prod"]);
  });

  it("merge keeps the first generator's sets, with the others' values merged by mergeKeys", () => {
    const yaml = set(
      "  generators:\n    - merge:\n        mergeKeys: [path.basename]\n        generators:\n          - git:\n              repoURL: https://example.com/r.git\n              directories:\n                - path: apps/*\n          - list:\n              elements:\n                - path.basename: web\n                  sub: overlays/x\n" +
        template("{{path}}/{{sub}}"),
    );
    // Only web's set got `sub`: the others' paths are unknown.
    expect(expand(yaml)).toEqual(["apps/web/overlays/x"]);
  });

  it("a generator from outside the repository gives the template's literal path only", () => {
    expect(expand(set("  generators:\n    - clusters: {}\n" + template("apps/web")))).toEqual(["apps/web"]);
    expect(expand(set("  generators:\n    - scmProvider:\n        github:\n          organization: acme\n" + template("{{repository}}/deploy")))).toEqual([]);
  });

  it("multiple sources, and a generator's own template over the set's", () => {
    const yaml = set(
      "  generators:\n    - list:\n        elements:\n          - env: prod\n        template:\n          metadata: {}\n          spec:\n            source:\n              path: 'apps/{{env}}'\n" +
        "  template:\n    metadata:\n      name: x\n    spec:\n      sources:\n        - path: extra/{{env}}\n        - repoURL: https://charts.example.com\n          chart: c\n",
    );
    // The merged template has both `source` and a non-empty `sources`: Argo CD reads `sources` alone (held-out round 16).
    expect(expand(yaml)).toEqual(["extra/prod"]);
  });
});

describe("templatePatch", () => {
  const base = set("  goTemplate: true\n" + dirs("path: apps/*") + template("{{.path.path}}"));

  it("a patch that sets the source moves the path", () => {
    expect(expand(base + "  templatePatch: |\n    spec:\n      source:\n        path: '{{ .path.path }}/overlays/prod'\n")).toEqual([
      "apps/api/overlays/prod",
      "apps/common/overlays/prod",
      "apps/web/overlays/prod",
    ]);
  });

  it("a patch that does not touch the source keeps the template's paths; one that cannot be resolved gives none", () => {
    expect(expand(base + "  templatePatch: |\n    metadata:\n      labels:\n        app: '{{ .path.basename }}'\n")).toEqual(["apps/api", "apps/common", "apps/web"]);
    expect(expand(base + "  templatePatch: |\n    {{- if eq .path.basename \"web\" }}\n    spec:\n      source:\n        path: elsewhere\n    {{- end }}\n")).toEqual([]);
  });
});

describe("sources not built as the plain kustomization", () => {
  it("a template source with a plugin or a Helm block gives no path; kustomize overrides that resolve, and neutral kustomize fields, do", () => {
    const list = "  generators:\n    - list:\n        elements:\n          - env: prod\n";
    const withBlock = (block: string) =>
      set(list + `  template:\n    metadata:\n      name: x\n    spec:\n      source:\n        repoURL: https://example.com/r.git\n        path: 'apps/{{env}}'\n${block}`);
    expect(expand(withBlock("        kustomize:\n          images:\n            - registry.k8s.io/web:1.2.3\n"))).toEqual(["apps/prod"]);
    expect(expand(withBlock("        kustomize:\n          namePrefix: '{{env}}-'\n"))).toEqual(["apps/prod"]);
    // An override that does not resolve: the directory is not known as applied with it (no guess).
    expect(expand(withBlock("        kustomize:\n          namePrefix: '{{cluster}}-'\n"))).toEqual([]);
    expect(expand(withBlock("        plugin:\n          name: envsubst\n"))).toEqual([]);
    expect(expand(withBlock("        helm:\n          valueFiles: [values.yaml]\n"))).toEqual([]);
    expect(expand(withBlock("        kustomize:\n          version: v5.4.0\n"))).toEqual(["apps/prod"]);
  });
});

describe("a generator's selector", () => {
  it("filters its parameter sets by label selector (matchLabels, In/NotIn/Exists)", () => {
    const gen = (selector: string) => set(dirs("path: apps/*").replace("          - path: apps/*\n", `          - path: apps/*\n      selector:\n${selector}`) + template("{{path}}"));
    expect(expand(gen("        matchExpressions:\n          - key: path.basename\n            operator: NotIn\n            values: [common]\n"))).toEqual(["apps/api", "apps/web"]);
    expect(expand(gen("        matchLabels:\n          path.basename: web\n"))).toEqual(["apps/web"]);
    expect(expand(gen("        matchExpressions:\n          - key: path.basename\n            operator: In\n            values: [api, web]\n"))).toEqual(["apps/api", "apps/web"]);
  });
});

describe("a template's kustomize overrides, per generated Application", () => {
  const sources = (yaml: string, paths: readonly string[] = FILES): { paths: string[]; sources: ApplicationSource[] } => applicationSetSourcesIn("argocd/set.yaml", yaml, { paths, readFile: () => null })!;
  const overridesAt = (yaml: string, block: string, generators: string, name = "'{{path.basename}}'", go = false) =>
    set(`${go ? "  goTemplate: true\n" : ""}${generators}  template:\n    metadata:\n      name: ${name}\n    spec:\n      source:\n        repoURL: https://example.com/r.git\n        path: '${yaml}'\n        kustomize:\n${block}`);
  /** The first image override of a source, as written after filling in, and the line it came from. */
  const image = (s: ApplicationSource): string => {
    const item = (get(s.kustomize as OMap, "images") as unknown as { items: Array<{ v: string; src: Parameters<typeof toOrigin>[0] }> }).items[0]!;
    return `${s.application} ${s.path} ${item.v} @${toOrigin(item.src).line}`;
  };

  it("fills each generated Application's overrides (fasttemplate, goTemplate), keeping the template's line as their origin", () => {
    const fast = overridesAt("{{path}}", "          images:\n            - 'ghcr.io/acme/{{path.basename}}:1.0.0'\n", dirs("path: apps/*"));
    const found = sources(fast);
    expect(found.paths).toEqual(["apps/api", "apps/common", "apps/web"]);
    // Line 20 of the file: the images entry of the template.
    expect(found.sources.map(image)).toEqual(["api apps/api ghcr.io/acme/api:1.0.0 @20", "common apps/common ghcr.io/acme/common:1.0.0 @20", "web apps/web ghcr.io/acme/web:1.0.0 @20"]);
    expect(new Set(found.sources.map((s) => s.edit?.key)).size).toBe(3);
    const go = overridesAt("{{.path.path}}", "          images:\n            - 'ghcr.io/acme/{{ .path.basename | upper }}:1.0.0'\n", dirs("path: apps/w*"), "'{{.path.basename}}'", true);
    expect(sources(go).sources.map(image)).toEqual(["web apps/web ghcr.io/acme/WEB:1.0.0 @21"]);
  });

  it("a list generator: one source per element, with its own values", () => {
    const list = "  generators:\n    - list:\n        elements:\n          - {env: staging, tag: latest}\n          - {env: prod, tag: 1.4.2}\n";
    const found = sources(overridesAt("apps/web", "          images:\n            - 'ghcr.io/acme/web:{{tag}}'\n", list, "'web-{{env}}'"));
    // Each value is where its element writes it (lines 9 and 10), not at the template's line 20: what a pull request
    // changing an element changes (held-out round 11).
    expect(found.sources.map(image)).toEqual(["web-staging apps/web ghcr.io/acme/web:latest @9", "web-prod apps/web ghcr.io/acme/web:1.4.2 @10"]);
  });

  it("an override with parameters from outside the repository gives no source and no path; a literal one with them does", () => {
    const matrix = "  generators:\n    - matrix:\n        generators:\n          - clusters: {}\n          - git:\n              repoURL: https://example.com/r.git\n              directories:\n                - path: apps/web\n";
    const unknown = sources(overridesAt("{{path}}", "          images:\n            - 'ghcr.io/acme/web:{{metadata.labels.tag}}'\n", matrix, "'{{name}}-web'"));
    expect(unknown).toEqual({ paths: [], sources: [] });
    const literal = sources(overridesAt("{{path}}", "          images:\n            - ghcr.io/acme/web:1.4.2\n", matrix, "'{{name}}-web'"));
    expect(literal.paths).toEqual(["apps/web"]);
    expect(literal.sources.map((s) => [s.path, s.application, s.name, s.edit !== null])).toEqual([["apps/web", "generated by ApplicationSet s #1", "", true]]);
  });

  it("a template without overrides gives paths and no sources; a text without kustomize is not parsed", () => {
    expect(sources(set(dirs("path: apps/web") + template("{{path}}") + "        kustomize:\n          version: v5.4.0\n"))).toEqual({ paths: ["apps/web"], sources: [] });
    expect(applicationSetSourcesIn("a.yaml", set(dirs("path: apps/web") + template("{{path}}")), { paths: FILES, readFile: () => null })).toBeNull();
    expect(isOSeq(get(sources(overridesAt("{{path}}", "          patches:\n            - patch: '{{path.basename}}'\n", dirs("path: apps/web"))).sources[0]!.kustomize!, "patches"))).toBe(true);
  });
});

describe("applicationSetNames", () => {
  const names = (generators: string, extra = ""): ReturnType<typeof applicationSetNames> =>
    applicationSetNames(
      parse(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: s}
spec:
  goTemplate: true
  generators:
${generators}
  template:
    metadata: {name: 'app-{{.env}}'}
    spec: {project: p}
${extra}`),
    );

  it("names each generated Application with the list elements that made it", () => {
    const merged = "  - merge:\n      mergeKeys: [env]\n      generators:\n      - list: {elements: [{env: dev}, {env: prod}]}\n      - list: {elements: [{env: prod, x: y}, {env: qa}]}";
    expect(names(merged)).toEqual([
      { name: "app-dev", generator: 0, elements: [{ path: ["spec", "generators", 0, "merge", "generators", 0, "list", "elements", 0], value: { env: "dev" } }] },
      {
        name: "app-prod",
        generator: 0,
        elements: [
          { path: ["spec", "generators", 0, "merge", "generators", 0, "list", "elements", 1], value: { env: "prod" } },
          { path: ["spec", "generators", 0, "merge", "generators", 1, "list", "elements", 0], value: { env: "prod", x: "y" } },
        ],
      },
    ]);
    // A generator's own template names its Applications.
    expect(names("  - list: {elements: [{env: dev}], template: {metadata: {name: 'own-{{.env}}'}}}")?.map((n) => n.name)).toEqual(["own-dev"]);
  });

  it("is null when some name is not known", () => {
    expect(names("  - clusters: {}")).toBeNull();
    expect(names("  - merge:\n      mergeKeys: [env]\n      generators:\n      - list: {elements: [{env: dev}]}\n      - clusters: {}")).toBeNull();
    expect(names("  - list: {elementsYaml: '{{ .x }}'}")).toBeNull();
    expect(names("  - list: {elements: [{env: dev}]}", "  templatePatch: |\n    metadata:\n      name: x\n")).toBeNull();
  });
});
