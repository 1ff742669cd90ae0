import { formatPath, type JsonPath } from "../../core/path.js";
import { defineRule, type DocContext } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { getIn } from "../../parse/workloads.js";
import { embeddedSecrets } from "./_embedded.js";
import { generatorLiterals } from "./_generator-literals.js";
import { isSecretSetting } from "./_names.js";
import { sopsInfo } from "./_sops.js";
import { leaves, skipSopsBlock } from "./_walk.js";
import { describeDoc, hasLocalTag, rangeWithin } from "./_where.js";

function flagEmbedded(ctx: DocContext, path: JsonPath, text: string): void {
  for (const s of embeddedSecrets(text)) {
    ctx.report({
      path,
      range: rangeWithin(ctx.file, ctx.doc, path, s.line, s.occurrence),
      message: `${describeDoc(ctx.doc)} sets "${s.key}" to a literal value inside ${formatPath(path)}.`,
    });
  }
}

/** ConfigMap `data`: secret-looking keys with literal values, and secrets inside embedded config files. */
function checkConfigMap(ctx: DocContext): void {
  const data = (ctx.doc.value as Record<string, unknown>).data;
  if (!isPlainObject(data)) return;
  for (const [key, value] of Object.entries(data)) {
    const path: JsonPath = ["data", key];
    if (isSecretSetting(key, value)) {
      ctx.report({ path, message: `${describeDoc(ctx.doc)} sets ${key} to a literal value.` });
    } else if (typeof value === "string") {
      flagEmbedded(ctx, path, value);
    }
  }
}

/** Helm values (a values file, a Flux HelmRelease's `spec.values`, an Argo CD `helm.valuesObject`), nested keys included. */
function checkValues(ctx: DocContext, root: unknown, base: JsonPath, isSops: boolean): void {
  for (const leaf of leaves(root, base, { skip: skipSopsBlock(isSops && base.length === 0) })) {
    const { key, value, parent, path } = leaf;
    // ExternalSecret-shaped entries (`secretKey` next to `remoteRef`) name keys, they do not hold values.
    const refEntry = isPlainObject(parent) && ("remoteRef" in parent || "secretKeyRef" in parent);
    if (typeof key === "string" && !refEntry && isSecretSetting(key, value) && !hasLocalTag(ctx.file, ctx.doc, path)) {
      ctx.report({ path, message: `${describeDoc(ctx.doc)} sets ${formatPath(path)} to a literal value.` });
      continue;
    }
    // `env`-style entries: `- name: DB_PASSWORD` / `value: hunter2`.
    if (key === "value" && isPlainObject(parent) && typeof parent.name === "string" && isSecretSetting(parent.name, value) && !hasLocalTag(ctx.file, ctx.doc, path)) {
      ctx.report({ path, message: `${describeDoc(ctx.doc)} sets ${parent.name} to a literal value at ${formatPath(path)}.` });
      continue;
    }
    if (typeof value === "string") flagEmbedded(ctx, path, value);
  }
}

/** Argo CD Application / ApplicationSet Helm sources: `valuesObject`, `values` (a YAML string) and `parameters`. */
function checkArgoHelm(ctx: DocContext, specPath: JsonPath): void {
  const spec = getIn(ctx.doc.value, specPath);
  if (!isPlainObject(spec)) return;
  const sources: Array<[JsonPath, unknown]> = [[[...specPath, "source"], spec.source]];
  if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => sources.push([[...specPath, "sources", i], s]));
  for (const [path, source] of sources) {
    const helm = isPlainObject(source) ? source.helm : undefined;
    if (!isPlainObject(helm)) continue;
    if (isPlainObject(helm.valuesObject)) checkValues(ctx, helm.valuesObject, [...path, "helm", "valuesObject"], false);
    if (typeof helm.values === "string") flagEmbedded(ctx, [...path, "helm", "values"], helm.values);
    if (Array.isArray(helm.parameters)) {
      helm.parameters.forEach((p, i) => {
        if (!isPlainObject(p) || typeof p.name !== "string" || !isSecretSetting(p.name, p.value)) return;
        ctx.report({ path: [...path, "helm", "parameters", i, "value"], message: `${describeDoc(ctx.doc)} sets Helm parameter ${p.name} to a literal value.` });
      });
    }
  }
}

/** Kustomize `configMapGenerator[].literals: ["DB_PASSWORD=..."]` and `helmCharts[].valuesInline`. */
function checkKustomization(ctx: DocContext): void {
  const charts = (ctx.doc.value as Record<string, unknown>).helmCharts;
  if (Array.isArray(charts)) {
    charts.forEach((c, i) => {
      if (isPlainObject(c) && isPlainObject(c.valuesInline)) checkValues(ctx, c.valuesInline, ["helmCharts", i, "valuesInline"], false);
    });
  }
  for (const lit of generatorLiterals(ctx.doc.value, "configMapGenerator")) {
    if (!isSecretSetting(lit.key, lit.value)) continue;
    ctx.report({ path: lit.path, message: `Kustomize configMapGenerator "${lit.generator}" sets ${lit.key} to a literal value.` });
  }
}

export default defineRule({
  meta: {
    id: "secrets/sensitive-config-value",
    title: "Secret in a ConfigMap or Helm values",
    severity: "high",
    description:
      "A ConfigMap `data` key or a Helm values key (nested keys; values files, Flux HelmRelease `spec.values`, Argo CD `helm.valuesObject`/`parameters`, Kustomize `helmCharts[].valuesInline` and `configMapGenerator` literals) whose name looks secret, with a literal value; also such settings inside config files embedded in those values.",
    rationale:
      "ConfigMaps and Helm values are plain configuration: they are committed unencrypted, readable by anyone with `get configmaps` in the namespace, and rendered into Helm release records. A password placed there is leaked.",
    fix: "Put the value in a Secret (encrypted or external) and reference it (`existingSecret`, `valueFrom.secretKeyRef`, `envFrom.secretRef`); rotate the committed value.",
    example: {
      bad: "auth:\n  password: hunter2\n",
      good: "auth:\n  existingSecret: db-credentials\n",
    },
  },
  checkDoc(ctx) {
    const { doc } = ctx;
    const kind = doc.resource.kind;
    const apiVersion = doc.resource.apiVersion ?? "";
    if (doc.class === "kubernetes" && kind === "ConfigMap" && apiVersion === "v1") checkConfigMap(ctx);
    else if (doc.class === "helm-values") checkValues(ctx, doc.value, [], sopsInfo(doc.value) !== null);
    else if (doc.class === "kubernetes" && kind === "HelmRelease" && apiVersion.startsWith("helm.toolkit.fluxcd.io/")) {
      const values = getIn(doc.value, ["spec", "values"]);
      if (isPlainObject(values)) checkValues(ctx, values, ["spec", "values"], false);
    } else if (doc.class === "argocd" && kind === "Application") checkArgoHelm(ctx, ["spec"]);
    else if (doc.class === "argocd" && kind === "ApplicationSet") checkArgoHelm(ctx, ["spec", "template", "spec"]);
    else if (doc.class === "kustomization") checkKustomization(ctx);
  },
});
