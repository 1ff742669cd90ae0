import { describe, expect, it } from "@jest/globals";
import { helmValueFilesOf, valueFileReaders } from "./helm-value-files.js";
import { ownRepoURL } from "./repository.js";

const app = (spec: unknown) => ({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "falco" }, spec });
const own = ownRepoURL("acme/gitops");

describe("helmValueFilesOf", () => {
  it("reads $ref paths through a source of this repository, and paths relative to a chart of this repository", () => {
    const multi = app({
      sources: [
        { repoURL: "https://falcosecurity.github.io/charts", chart: "falco", targetRevision: "4.2.0", helm: { valueFiles: ["$values/clusters/prod/falco.yaml", "$other/x.yaml"] } },
        { repoURL: "https://github.com/acme/gitops.git", targetRevision: "main", ref: "values" },
        { repoURL: "https://github.com/someone/else.git", targetRevision: "main", ref: "other" },
      ],
    });
    expect(helmValueFilesOf(multi, own)).toEqual(["clusters/prod/falco.yaml"]);
    const local = app({ source: { repoURL: "git@github.com:acme/gitops.git", path: "charts/api", helm: { valueFiles: ["values-prod.yaml", "../common/overrides.yaml", "https://example.com/v.yaml", "{{ .env }}.yaml"] } } });
    expect(helmValueFilesOf(local, own)).toEqual(["charts/api/values-prod.yaml", "charts/common/overrides.yaml"]);
  });

  it("reads a path that starts with / from the repository's root, as Argo CD joins it (held-out round 23)", () => {
    const rooted = app({ source: { repoURL: "https://github.com/acme/gitops.git", path: "charts/web", helm: { valueFiles: ["/envs/prod/conf.yaml", "//shared/common.yaml"] } } });
    expect(helmValueFilesOf(rooted, own)).toEqual(["envs/prod/conf.yaml", "shared/common.yaml"]);
    // An ApplicationSet's templated one, filled in per list element.
    const set = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: "web" },
      spec: {
        generators: [{ list: { elements: [{ env: "prod" }, { env: "dev" }] } }],
        template: { spec: { source: { repoURL: "https://github.com/acme/gitops.git", path: "charts/web", helm: { valueFiles: ["/conf/{{env}}/conf.yaml"] } } } },
      },
    };
    expect(helmValueFilesOf(set, own).sort()).toEqual(["conf/dev/conf.yaml", "conf/prod/conf.yaml"]);
  });

  it("names nothing for a chart of another repository, a path outside the repository, or any other object", () => {
    expect(helmValueFilesOf(app({ source: { repoURL: "https://github.com/x/y.git", path: "c", helm: { valueFiles: ["v.yaml"] } } }), own)).toEqual([]);
    expect(helmValueFilesOf(app({ source: { repoURL: "https://github.com/acme/gitops.git", path: "c", helm: { valueFiles: ["../../v.yaml"] } } }), own)).toEqual([]);
    expect(helmValueFilesOf({ apiVersion: "v1", kind: "ConfigMap", spec: { source: { helm: { valueFiles: ["v.yaml"] } } } }, own)).toEqual([]);
  });
});

describe("valueFileReaders", () => {
  it("names the files named for Applications below the parent of a changed file's directory, nearest first, at most 10", () => {
    const paths = [
      "apps/umami/base/application.yaml",
      "apps/umami/base/deployment.yaml",
      "apps/umami/base/kustomization.yaml",
      ...Array.from({ length: 12 }, (_, i) => `apps/a${i}/base/application.yaml`),
      "clusters/prod/umami-app.yaml",
    ];
    const readers = valueFileReaders(["apps/umami/umami-overrides.yaml"], paths);
    expect(readers).toHaveLength(10);
    expect(readers[0]).toBe("apps/umami/base/application.yaml");
    expect(readers).not.toContain("apps/umami/base/deployment.yaml");
    expect(readers).not.toContain("clusters/prod/umami-app.yaml");
    expect(valueFileReaders(["clusters/prod/umami/values-prod.yaml"], paths)).toEqual(["clusters/prod/umami-app.yaml"]);
  });

  it("names none for a change without YAML files, nor a changed, excluded or parameter file", () => {
    expect(valueFileReaders(["README.md"], ["apps/app.yaml"])).toEqual([]);
    expect(valueFileReaders(["apps/web/values.yaml", "apps/app.yaml"], ["apps/app.yaml"])).toEqual([]);
    expect(valueFileReaders(["apps/web/values.yaml"], ["apps/app.yaml"], (p) => p === "apps/app.yaml")).toEqual([]);
    // An Argo CD parameter file is named `.argocd-source-<app>.yaml`: it holds no Application.
    expect(valueFileReaders(["web/deploy.yaml"], ["web/.argocd-source-web.yaml"])).toEqual([]);
  });
});
