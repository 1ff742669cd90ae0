import { describe, expect, it } from "@jest/globals";
import { chartImageTags, imageSources, imageSourcesOf, introducedImages, imageKey } from "./image-sources.js";
import { parseImageRef } from "./image-ref.js";
import { parseYamlFile } from "./yaml-file.js";

const R = "111122223333.dkr.ecr.eu-central-1.amazonaws.com";
const D = `sha256:${"ab".repeat(32)}`;

function sources(path: string, text: string) {
  const file = parseYamlFile(path, text);
  return imageSourcesOf([file]).map((s) => {
    const doc = file.docs.find((d) => d.index === s.docIndex)!;
    const at = doc.locate(s.path);
    return { key: s.key, kind: s.kind, line: at.line, column: at.column, where: s.where };
  });
}

describe("imageKey", () => {
  it.each([
    ["nginx", "docker.io/library/nginx:latest"],
    ["NGINX.example.COM/App:1", "nginx.example.com/App:1"],
    [`${R}/web@${D}`, `${R}/web@${D}`],
    [`${R}/web:1.0@${D}`, `${R}/web:1.0@${D}`],
  ])("%s → %s", (raw, key) => {
    expect(imageKey(parseImageRef(raw))).toBe(key);
  });
});

describe("imageSources", () => {
  it("finds every container kind of every workload kind, at the image value", () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: init
              image: ${R}/init:1
          containers:
            - name: main
              image: ${R}/report:2
          ephemeralContainers:
            - name: debug
              image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: "{{ .Values.image }}"
    - name: d
      image: \${IMAGE}
    - name: e
      image: ghcr.io/acme/e@${D}
`;
    expect(sources("apps/report.yaml", text)).toEqual([
      { key: `${R}/report:2`, kind: "container", line: 15, column: 22, where: 'Container "main" in CronJob "report"' },
      { key: `${R}/init:1`, kind: "container", line: 12, column: 22, where: 'Init container "init" in CronJob "report"' },
      { key: "docker.io/library/busybox:latest", kind: "container", line: 18, column: 22, where: 'Ephemeral container "debug" in CronJob "report"' },
      { key: `ghcr.io/acme/e@${D}`, kind: "container", line: 31, column: 14, where: 'Container "e" in Pod "p"' },
    ]);
  });

  it("reads Helm values: image strings and {registry, repository, tag, digest} maps nested anywhere, pointing at the tag or digest", () => {
    const text = `image:
  repository: ${R}/web
  tag: "1.4.2"
controller:
  image:
    registry: ${R}
    repository: ingress/controller
    tag: v1.11.0
    digest: ${D}
  admissionWebhooks:
    patch:
      image:
        repository: ${R}/certgen
        # no tag: the chart's appVersion applies, which the values do not show
sidecars:
  - name: proxy
    image: ${R}/proxy:3
templated:
  image:
    repository: "{{ .Values.global.registry }}/x"
    tag: "1"
numeric:
  image:
    repository: ${R}/num
    tag: 2
`;
    expect(sources("charts/web/values-prod.yaml", text)).toEqual([
      { key: `${R}/web:1.4.2`, kind: "helm-values", line: 3, column: 8, where: "Helm values image" },
      { key: `${R}/ingress/controller:v1.11.0@${D}`, kind: "helm-values", line: 9, column: 13, where: "Helm values controller.image" },
      { key: `${R}/proxy:3`, kind: "helm-values", line: 17, column: 12, where: "Helm values sidecars[0].image" },
      { key: `${R}/num:2`, kind: "helm-values", line: 25, column: 10, where: "Helm values numeric.image" },
    ]);
  });

  it("reads inline Helm values: a Flux HelmRelease's spec.values, an Application's and an ApplicationSet template's helm.valuesObject", () => {
    // Held-out round 11: a tag the chart gets inline was read by the secrets rules and by no image rule nor ECR fact.
    const text = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  values:
    image:
      repository: ${R}/web
      tag: "1.4.2"
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web-prod
spec:
  sources:
    - repoURL: https://github.com/acme/gitops
      path: charts/web
      helm:
        valuesObject:
          worker:
            image: ${R}/worker:3
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: web
spec:
  template:
    spec:
      source:
        helm:
          valuesObject:
            image:
              repository: ${R}/api
              tag: v2
`;
    expect(sources("apps/web.yaml", text)).toEqual([
      { key: `${R}/web:1.4.2`, kind: "helm-values", line: 9, column: 12, where: 'HelmRelease "web" values image' },
      { key: `${R}/worker:3`, kind: "helm-values", line: 22, column: 20, where: 'Application "web-prod" Helm values worker.image' },
      { key: `${R}/api:v2`, kind: "helm-values", line: 36, column: 20, where: 'ApplicationSet "web" Helm values image' },
    ]);
  });

  it("reads a chart image tag written without its repository (values maps under image or …Image, helm.parameters …image.tag), as no image", () => {
    const tagsOf = (path: string, text: string) => {
      const file = parseYamlFile(path, text);
      return file.docs.flatMap((doc) => chartImageTags(doc).map((t) => ({ tag: t.tag, line: doc.locate(t.path).line, where: t.where })));
    };
    const values = `kubescape-operator:
  kubescape:
    image:
      tag: latest
  kubectlImage:
    tag: "1.31"
  bare:
    image: nginx
  pinned:
    image:
      digest: ${D}
`;
    expect(tagsOf("apps/kubescape/values-prod.yaml", values)).toEqual([
      { tag: "latest", line: 4, where: "Helm values kubescape-operator.kubescape.image" },
      { tag: "1.31", line: 6, where: "Helm values kubescape-operator.kubectlImage" },
    ]);
    expect(sources("apps/kubescape/values-prod.yaml", values).map((s) => s.key)).toEqual(["docker.io/library/nginx:latest"]);
    const app = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    helm:
      parameters:
        - name: image.tag
          value: latest
        - name: controller.image.tag
          value: v1
        - name: image.repository
          value: ghcr.io/acme/web
        - name: service.tag
          value: latest
`;
    expect(tagsOf("apps/web.yaml", app)).toEqual([
      { tag: "latest", line: 10, where: 'Application "web" Helm parameter image.tag' },
      { tag: "v1", line: 12, where: 'Application "web" Helm parameter controller.image.tag' },
    ]);
  });

  it("reads Kustomization images overrides (newName, newTag, digest) and skips entries that set neither tag nor digest", () => {
    const text = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  - name: api
    newName: ${R}/payments/api
    newTag: v2.15.0
  - name: ${R}/payments/worker
    digest: ${D}
  - name: renamed-only
    newName: ${R}/other
`;
    expect(sources("overlays/prod/kustomization.yaml", text)).toEqual([
      { key: `${R}/payments/api:v2.15.0`, kind: "kustomize-images", line: 6, column: 13, where: 'Kustomization image override "api"' },
      { key: `${R}/payments/worker@${D}`, kind: "kustomize-images", line: 8, column: 13, where: `Kustomization image override "${R}/payments/worker"` },
    ]);
  });

  it("reads Argo CD Application kustomize.images (old=new:tag)", () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payments
spec:
  sources:
    - repoURL: https://github.com/acme/gitops
      kustomize:
        images:
          - api=${R}/payments/api:v2.15.0
          - ${R}/payments/worker:v2.15.0
`;
    expect(sources("apps/payments.yaml", text).map((s) => [s.key, s.line, s.kind])).toEqual([
      [`${R}/payments/api:v2.15.0`, 10, "argocd-kustomize-images"],
      [`${R}/payments/worker:v2.15.0`, 11, "argocd-kustomize-images"],
    ]);
  });

  it("is memoised per document", () => {
    const file = parseYamlFile("a.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1}]\n");
    expect(imageSources(file.docs[0]!)).toBe(imageSources(file.docs[0]!));
  });
});

describe("introducedImages", () => {
  it("keeps head references the base side did not have anywhere", () => {
    const pod = (image: string, name = "c") => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: ${name}, image: "${image}"}]\n`;
    const base = imageSourcesOf([parseYamlFile("a.yaml", pod(`${R}/web:1`)), parseYamlFile("b.yaml", pod(`${R}/api:1`))]);
    const head = imageSourcesOf([parseYamlFile("a.yaml", pod(`${R}/web:2`)), parseYamlFile("c.yaml", pod(`${R}/api:1`, "moved"))]);
    expect(introducedImages(head, base).map((s) => s.key)).toEqual([`${R}/web:2`]);
    expect(introducedImages(head, []).map((s) => s.key)).toEqual([`${R}/web:2`, `${R}/api:1`]);
  });
});
