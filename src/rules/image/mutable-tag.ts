import { z } from "zod";
import { defineRule, ruleOptions } from "../../core/rule.js";
import { chartImageTags, imageSources } from "../../parse/image-sources.js";
import { imageUses, rangeWithin } from "./_images.js";

const Options = z.strictObject({
  tags: z
    .array(z.string().trim().min(1))
    .default(["latest"])
    .describe("Tags that count as mutable, compared exactly (e.g. `[latest, main, stable]`); an image without a tag always counts."),
});

export default defineRule({
  meta: {
    id: "image/mutable-tag",
    title: "Image uses a mutable tag",
    severity: "medium",
    description:
      "A container image with no tag (the runtime pulls `:latest`) or with the tag `latest`; in Helm values (a `values*.yaml` file, a Flux HelmRelease's `spec.values`, an Argo CD Application's or ApplicationSet template's `helm.valuesObject`, `helm.values` and `helm.parameters`, a Kustomization's `helmCharts[].valuesInline`), an image tag written as `latest` (`image: repo:latest`, or `tag: latest` under `image` or a `…Image` key, with or without a `repository` beside it; a parameter `image.tag`) — an untagged image there is not judged, the chart supplies its tag. Images pinned by digest (`@sha256:…`) pass; templated images (`{{ }}`, `${VAR}`) are not judged.",
    rationale:
      "`latest` (and a missing tag) points at whatever was pushed last: the same manifest deploys different code on every node restart or rollout, a rollback does not roll back, and Argo CD cannot show what changed. A compromised or careless push reaches the cluster without a review.",
    fix: "Pin a version tag (`nginx:1.27.3`) or, better, a digest (`nginx:1.27.3@sha256:…`).",
    example: {
      bad: "containers:\n  - name: web\n    image: nginx:latest\n",
      good: "containers:\n  - name: web\n    image: nginx:1.27.3\n",
    },
  },
  options: Options,
  checkDoc({ doc, file, report, settings }) {
    const uses = imageUses(doc);
    const sources = imageSources(doc);
    const chartTags = chartImageTags(doc);
    // Most documents refer to no image: no set of tags is made for them.
    if (uses.length === 0 && sources.length === 0 && chartTags.length === 0) return;
    const mutable = new Set(ruleOptions(Options, settings).tags);
    for (const use of uses) {
      const { ref } = use;
      if (ref.digest !== null) continue;
      if (ref.tag === null) {
        report({ path: use.path, part: "tag", message: `${use.where} uses image "${ref.raw.trim()}" with no tag, so it pulls the mutable "latest".` });
      } else if (mutable.has(ref.tag)) {
        report({ path: use.path, part: "tag", message: `${use.where} uses image "${ref.raw.trim()}" with the mutable tag "${ref.tag}".` });
      }
    }
    // Helm values (a values file, a HelmRelease's `spec.values`, an Application's `helm.valuesObject`, a Kustomization's
    // `helmCharts[].valuesInline`): a written mutable tag is what the chart deploys. An untagged map takes the chart's
    // appVersion and a chart may append a tag to a bare string, so only a tag the values write is judged — also one
    // written without its repository.
    for (const source of sources) {
      const { ref } = source;
      if (source.kind !== "helm-values" || ref.digest !== null || ref.tag === null || !mutable.has(ref.tag)) continue;
      const range = source.within ? rangeWithin(file, doc, source.path, source.within) : undefined;
      report({ path: source.path, message: `${source.where} sets image "${ref.raw.trim()}" with the mutable tag "${ref.tag}".`, ...(range ? { range } : {}) });
    }
    for (const chartTag of chartTags) {
      if (!mutable.has(chartTag.tag)) continue;
      const range = chartTag.within ? rangeWithin(file, doc, chartTag.path, chartTag.within) : undefined;
      report({ path: chartTag.path, message: `${chartTag.where} sets the chart's image tag to the mutable "${chartTag.tag}".`, ...(range ? { range } : {}) });
    }
  },
});
