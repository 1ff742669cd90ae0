import { parse } from "yaml";
import { formatPath, type JsonPath, type PathSeg } from "../../core/path.js";
import { defineRule, type DocContext, type FileContext, type Report } from "../../core/rule.js";
import { credentialDigest } from "../../core/value-digest.js";
import type { SourceRange } from "../../core/types.js";
import { isPlainObject } from "../../parse/classify.js";
import { derivedDocs } from "../../parse/helm-argocd-values.js";
import { isHelmTemplateDoc } from "../../parse/helm-template-argocd.js";
import { getIn } from "../../parse/workloads.js";
import type { ParsedFile } from "../../parse/yaml-file.js";
import { isAuthorizationSetting } from "./_authorization.js";
import { article, findCredentials } from "./_credentials.js";
import { embeddedCredentialDigest, embeddedSecrets, isCapabilityUrl, mayEmbedSecrets, readEmbedded, userlistFileNames } from "./_embedded.js";
import { generatorLiterals } from "./_generator-literals.js";
import { decodedText } from "./_secret-values.js";
import { shownKey, shownPath } from "./_mask.js";
import { isAppliedPasswordWord, isMapEntryCredential, isSecretReferenceEntry, isSecretSetting, listItemName, mapEntryName } from "./_names.js";
import { sopsInfo } from "./_sops.js";
import { scalarText } from "./_values.js";
import { eachLeaf, skipSopsBlock } from "./_walk.js";
import { CappedReports, describeDoc, hasLocalTag, isExampleFile, monitoringConfigOf, rangesWithin } from "./_where.js";
import { objectWithoutApiVersion } from "./_without-api-version.js";

/** One document being checked: its context and its (capped) findings. */
interface Check {
  ctx: DocContext;
  out: CappedReports;
  /**
   * The values are applied as written: a deployed object's inline Helm values (an Application's `helm.values`, a
   * HelmRelease's `spec.values`), where the bare word `password` under a password's name is the weak password itself,
   * not the stand-in it is in a values file (a chart's defaults). Not in an example, sample or template file.
   */
  applied: boolean;
}

/** The same check, for values applied as written (see `Check.applied`) unless the file is an example. */
function appliedValues(c: Check): Check {
  return { ...c, applied: !isExampleFile(c.ctx.file.path) };
}

/** A secret setting (`isSecretSetting`), or in applied values the bare word `password` under a password's name. */
function isSetting(c: Check, name: string, value: unknown): value is string {
  return isSecretSetting(name, value) || (c.applied && isAppliedPasswordWord(name, value));
}

/**
 * Reports at `path` with credential-like keys masked in the path (the range is taken from the real path). `value`:
 * the literal the finding reports (or an embedded file's `CredentialLines`), digested (never kept) so the review sees
 * it committed elsewhere.
 */
function reportAt(c: Check, path: JsonPath, message: string, range?: SourceRange, value?: unknown, identity?: JsonPath): void {
  if (!c.out.open) {
    c.out.count(); // past the cap: counted, not located
    return;
  }
  const digest = digestOf(value);
  c.out.report({ path: shownPath(path), range: range ?? c.ctx.doc.locate(path), message, ...digest, ...(identity ? { identity: shownPath(identity) } : {}) });
}

/** The lines of an embedded config file that hold a credential: what a finding inside the file digests. */
class CredentialLines {
  constructor(readonly lines: readonly string[]) {}
}

/** The digest of what a finding reports: a literal, or an embedded file's credential lines (`CredentialLines`). */
function digestOf(value: unknown): { valueDigests?: string[] } {
  if (typeof value === "string" || typeof value === "number") return { valueDigests: [credentialDigest(String(value))] };
  const lines = value instanceof CredentialLines ? embeddedCredentialDigest(value.lines) : null;
  return lines !== null ? { valueDigests: [lines] } : {};
}

/** Not a `!secret db_password`-style local tag (checked only while findings are still reported one by one). */
function untagged(c: Check, path: JsonPath): boolean {
  return !c.out.open || !hasLocalTag(c.ctx.file, c.ctx.doc, path);
}

/** `ConfigMap "x"` sets … at `path`: the path as it may be shown. */
function where(path: JsonPath): string {
  return formatPath(shownPath(path));
}

/**
 * A URL that is itself a credential (a Discord or Teams webhook with its token in the path, `?sig=` / `?code=` with
 * generated text), whatever its key is called; known formats such as Slack webhooks are `secrets/known-credential`'s.
 */
function isCredentialUrl(value: string): boolean {
  return value.includes("://") && value.length <= 4096 && isCapabilityUrl(value) && findCredentials(value).length === 0;
}

function flagUrl(c: Check, path: JsonPath, url: string): void {
  reportAt(c, path, `${describeDoc(c.ctx.doc)} sets ${where(path)} to a URL that carries its own credential (a webhook token or a signed query).`, undefined, url);
}

/** `at` may be a walk's own path (see `eachLeaf`): it is copied only when there is something to report. */
function flagEmbedded(c: Check, at: readonly PathSeg[], text: string, userlist = false): void {
  // Asked about every string of a values file: the prefilter first, before any options object is made.
  if (!mayEmbedSecrets(text, userlist)) return;
  const settings = readEmbedded(text, { userlist, applied: c.applied }).settings;
  if (settings.length === 0) return;
  const path = [...at];
  const ranges = c.out.open ? rangesWithin(c.ctx.file, c.ctx.doc, path, settings.map((s) => s.line)) : [];
  // Each setting is known by its key inside the text (its fingerprint's path), not by its place among the others: a pull
  // request that removes one literal and adds another fixes the one and adds the other (held-out round 19: told apart
  // by order, a new password in an Application's `helm.values` was called existing and the review passed).
  settings.forEach((s, i) => {
    // Its line digested as its value: a password rotated inside the text is a fresh one, another line's edit is not.
    reportAt(c, path, `${describeDoc(c.ctx.doc)} sets "${shownKey(s.key)}" to a literal value inside ${where(path)}.`, ranges[i], new CredentialLines([s.line]), [...path, s.key]);
  });
}

/** argocd-cm's repository lists: each entry names its credentials by Secret references (`passwordSecret: {name, key}`). */
const ARGOCD_REPOSITORY_KEYS = new Set(["repositories", "repository.credentials", "helm.repositories"]);

/**
 * An argocd-cm repository list (`repository.credentials: |` …, in the ConfigMap or a generator literal of that name)
 * whose entries hold no literal credential: every field
 * named like one is a Secret reference (`sshPrivateKeySecret: {name, key}`, a map), not a value. False when the text
 * is not a YAML list of maps, or any entry writes a credential inline (`password: …`, `sshPrivateKey: |`).
 */
function onlySecretReferences(configMap: string | null | undefined, key: string, text: unknown): boolean {
  if (configMap !== "argocd-cm" || !ARGOCD_REPOSITORY_KEYS.has(key) || typeof text !== "string") return false;
  let entries: unknown;
  try {
    entries = parse(text, { uniqueKeys: false });
  } catch {
    return false;
  }
  return Array.isArray(entries) && entries.every((e) => isPlainObject(e) && Object.entries(e).every(([k, v]) => isPlainObject(v) || !isSecretSetting(k, scalarText(v))));
}

/** ConfigMap `data`: secret-looking keys with literal values, and secrets inside embedded config files. */
function checkConfigMap(c: Check): void {
  const data = (c.ctx.doc.value as Record<string, unknown>).data;
  if (!isPlainObject(data)) return;
  const userlists = userlistFileNames(Object.values(data)); // pgbouncer's auth_file: `userlist.txt` or as configured
  for (const [key, written] of Object.entries(data)) {
    const path: JsonPath = ["data", key];
    const value = scalarText(written); // `POSTGRES_PASSWORD: 123456` unquoted, as `"123456"` (held-out round 14)
    if (isSecretSetting(key, value) && !onlySecretReferences(c.ctx.doc.resource.name, key, value)) {
      reportAt(c, path, `${describeDoc(c.ctx.doc)} sets ${shownKey(key)} to a literal value.`, undefined, value);
    } else if (typeof value === "string" && isCredentialUrl(value)) {
      flagUrl(c, path, value);
    } else if (typeof value === "string") {
      flagEmbedded(c, path, value, userlists.has(key));
    }
  }
}

/**
 * What a decoded `binaryData` text holds, as the message names it: a known credential format (which
 * `secrets/known-credential` cannot see through base64), the key itself, a credential URL or an embedded file's
 * credential field; null for none. Judged as under `data`.
 */
function binaryCredential(key: string, text: string): { what: string; value?: string } | null {
  const hit = findCredentials(text)[0];
  if (hit) return { what: `${article(hit.label)} ${hit.label}`, value: text.slice(hit.start, hit.end) };
  if (isSecretSetting(key, text)) return { what: "a literal value", value: text };
  if (isCredentialUrl(text)) return { what: "a URL that carries its own credential", value: text };
  const setting = embeddedSecrets(text)[0];
  return setting ? { what: `"${shownKey(setting.key)}" with a literal value` } : null;
}

/**
 * ConfigMap `binaryData`: base64 that Kubernetes decodes into the mounted file. A text file there (an `.npmrc`, a
 * config file) is judged as under `data`, reported once per key at its value (the decoded lines are not in the source).
 */
function checkBinaryData(c: Check): void {
  const binary = (c.ctx.doc.value as Record<string, unknown>).binaryData;
  if (!isPlainObject(binary)) return;
  for (const [key, value] of Object.entries(binary)) {
    const text = typeof value === "string" ? decodedText(value) : null;
    const found = text === null ? null : binaryCredential(key, text);
    if (found === null) continue;
    const path: JsonPath = ["binaryData", key];
    reportAt(c, path, `${describeDoc(c.ctx.doc)} holds ${found.what} in base64 at ${where(path)}.`, undefined, found.value);
  }
}

/** Helm values (a values file, a Flux HelmRelease's `spec.values`, an Argo CD `helm.valuesObject`), nested keys included. */
function checkValues(c: Check, root: unknown, base: JsonPath, isSops: boolean): void {
  eachLeaf(root, (at, key, value, parent) => checkValue(c, at, key, value, parent), base, { skip: skipSopsBlock(isSops && base.length === 0) });
}

/**
 * Reports a literal at the walk's path `at` (copied), unless a local tag makes it a reference; whether it did.
 * `message` says what is set, given the path as it may be shown.
 */
function reportLiteral(c: Check, at: readonly PathSeg[], value: string, message: (where: string) => string): boolean {
  const path = [...at];
  if (!untagged(c, path)) return false;
  reportAt(c, path, message(where(path)), undefined, value);
  return true;
}

/** One value of Helm values, at the walk's path `at` (see `eachLeaf`). */
function checkValue(c: Check, at: readonly PathSeg[], key: PathSeg, leaf: unknown, parent: Record<string, unknown> | unknown[]): void {
  const doc = c.ctx.doc;
  // An unquoted run of digits (`password: 654321`, `password: 16032022`) is a number to YAML, and the same value
  // quoted: Helm writes it into the chart's Secret all the same. Judged as its digits (a setting under most names).
  const value = scalarText(leaf);
  // ExternalSecret-shaped entries (`secretKey` next to `remoteRef`) name keys, they do not hold values.
  // So do the entries of a map of Secret names (`secretNames: {credentials: db-credentials}`).
  const map = typeof key === "string" ? at[at.length - 2] : undefined;
  const refEntry = (isPlainObject(parent) && ("remoteRef" in parent || "secretKeyRef" in parent)) || (typeof map === "string" && isSecretReferenceEntry(map, value));
  if (typeof key === "string" && !refEntry && isSetting(c, key, value)) {
    if (reportLiteral(c, at, value, (w) => `${describeDoc(doc)} sets ${w} to a literal value.`)) return;
  }
  // Items of a list named like a credential (`auth.passwords: [...]`) are judged under the list's name.
  const list = typeof key === "number" ? at[at.length - 2] : undefined;
  const itemName = typeof list === "string" ? listItemName(list) : null;
  if (itemName !== null && isSecretSetting(itemName, value)) {
    if (reportLiteral(c, at, value, (w) => `${describeDoc(doc)} sets ${w} to a literal value.`)) return;
  }
  // Entries of a map named like a list of credentials (`apiKeys: {team-a: …}`) are judged under its singular name.
  const entryName = typeof map === "string" ? mapEntryName(map) : null;
  // (Generated text only: the entries may as well be settings, `tokens: {audience: api}`.)
  if (entryName !== null && isSecretSetting(entryName, value) && isMapEntryCredential(value)) {
    if (reportLiteral(c, at, value, (w) => `${describeDoc(doc)} sets ${w} to a literal value.`)) return;
  }
  // `env`-style entries: `- name: DB_PASSWORD` / `value: hunter2`.
  if (key === "value" && isPlainObject(parent) && typeof parent.name === "string" && isSetting(c, parent.name, value)) {
    const name = parent.name;
    if (reportLiteral(c, at, value, (w) => `${describeDoc(doc)} sets ${shownKey(name)} to a literal value at ${w}.`)) return;
  }
  if (typeof value === "string" && isCredentialUrl(value)) {
    const path = [...at];
    if (untagged(c, path)) flagUrl(c, path, value);
    else flagEmbedded(c, path, value);
  } else if (typeof value === "string") flagEmbedded(c, at, value);
}

/** Argo CD Application / ApplicationSet Helm sources: `valuesObject`, `values` (a YAML string) and `parameters`. */
function checkArgoHelm(c: Check, specPath: JsonPath): void {
  const spec = getIn(c.ctx.doc.value, specPath);
  if (!isPlainObject(spec)) return;
  const sources: Array<[JsonPath, unknown]> = [[[...specPath, "source"], spec.source]];
  if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => sources.push([[...specPath, "sources", i], s]));
  for (const [path, source] of sources) {
    if (isPlainObject(source) && isPlainObject(source.plugin)) checkPlugin(c, source.plugin, [...path, "plugin"]);
    const helm = isPlainObject(source) ? source.helm : undefined;
    if (!isPlainObject(helm)) continue;
    const inline = appliedValues(c); // what the Application deploys, as written
    if (isPlainObject(helm.valuesObject)) checkValues(inline, helm.valuesObject, [...path, "helm", "valuesObject"], false);
    if (typeof helm.values === "string") flagEmbedded(inline, [...path, "helm", "values"], helm.values);
    if (Array.isArray(helm.parameters)) {
      checkNamedSettings(inline, helm.parameters, [...path, "helm", "parameters"], "Helm parameter");
    }
  }
}

/**
 * A Config Management Plugin source: `plugin.env` (`- name: API_TOKEN` / `value: …`, handed to the plugin as
 * `ARGOCD_ENV_API_TOKEN`) and `plugin.parameters` (`- name: password` / `string: …`, or a `map` of them) are committed
 * in the Application like Helm values.
 */
function checkPlugin(c: Check, plugin: Record<string, unknown>, path: JsonPath): void {
  if (Array.isArray(plugin.env)) checkNamedSettings(c, plugin.env, [...path, "env"], "plugin environment variable");
  if (!Array.isArray(plugin.parameters)) return;
  plugin.parameters.forEach((p, i) => {
    if (!isPlainObject(p) || typeof p.name !== "string") return;
    if (isSecretSetting(p.name, p.string)) {
      reportAt(c, [...path, "parameters", i, "string"], `${describeDoc(c.ctx.doc)} sets plugin parameter ${shownKey(p.name)} to a literal value.`, undefined, p.string);
    } else if (isPlainObject(p.map)) {
      checkValues(c, p.map, [...path, "parameters", i, "map"], false);
    }
  });
}

/** Items `{ name, value }` of a list (Helm `parameters`, a plugin's `env`) whose name looks secret, with a literal value. */
function checkNamedSettings(c: Check, list: readonly unknown[], path: JsonPath, what: string): void {
  list.forEach((item, i) => {
    if (!isPlainObject(item) || typeof item.name !== "string" || !isSetting(c, item.name, item.value)) return;
    reportAt(c, [...path, i, "value"], `${describeDoc(c.ctx.doc)} sets ${what} ${shownKey(item.name)} to a literal value.`, undefined, item.value);
  });
}

/** Nested generators (`matrix`, `merge`) hold at most two levels; deeper nesting Argo CD refuses. */
const MAX_GENERATOR_DEPTH = 3;

/**
 * An ApplicationSet's `list` generators (also inside `matrix` / `merge`): each element's values are written into the
 * template (`'{{dbPassword}}'`), so a literal password in an element is committed like a Helm value.
 */
function checkListGenerators(c: Check, generators: unknown, path: JsonPath, depth = 0): void {
  if (!Array.isArray(generators) || depth >= MAX_GENERATOR_DEPTH) return;
  generators.forEach((g, i) => {
    if (!isPlainObject(g)) return;
    const list = g.list;
    if (isPlainObject(list) && Array.isArray(list.elements)) {
      list.elements.forEach((el, j) => {
        if (isPlainObject(el)) checkValues(c, el, [...path, i, "list", "elements", j], false);
      });
    }
    for (const nest of ["matrix", "merge"] as const) {
      const n = g[nest];
      if (isPlainObject(n)) checkListGenerators(c, n.generators, [...path, i, nest, "generators"], depth + 1);
    }
  });
}

/** `helmfile.yaml`, `helmfile.prod.yaml`, `helmfile.d/10-apps.yaml`. */
const HELMFILE = /(^|\/)helmfile(\.[^/]*)?\.ya?ml$|(^|\/)helmfile\.d\/[^/]+\.ya?ml$/;

/** A helmfile's releases: `set` / `setString` entries (`name` / `value`) and inline `values` maps, written as Helm values. */
function checkHelmfile(c: Check): void {
  const releases = (c.ctx.doc.value as Record<string, unknown>).releases;
  if (!Array.isArray(releases)) return;
  releases.forEach((r, i) => {
    if (!isPlainObject(r)) return;
    for (const field of ["set", "setString"] as const) {
      if (Array.isArray(r[field])) checkNamedSettings(c, r[field], ["releases", i, field], "Helm value");
    }
    if (Array.isArray(r.values)) {
      r.values.forEach((v, j) => {
        if (isPlainObject(v)) checkValues(c, v, ["releases", i, "values", j], false);
      });
    }
  });
}

/** ingress-nginx annotations that hold nginx configuration (`configuration-snippet`, `server-snippet`, …). */
function checkIngressSnippets(c: Check): void {
  const annotations = getIn(c.ctx.doc.value, ["metadata", "annotations"]);
  if (!isPlainObject(annotations)) return;
  for (const [key, value] of Object.entries(annotations)) {
    if (key.endsWith("-snippet") && typeof value === "string") flagEmbedded(c, ["metadata", "annotations", key], value);
  }
}

/** Kustomize `configMapGenerator[].literals: ["DB_PASSWORD=..."]` and `helmCharts[].valuesInline`. */
function checkKustomization(c: Check): void {
  const charts = (c.ctx.doc.value as Record<string, unknown>).helmCharts;
  if (Array.isArray(charts)) {
    charts.forEach((chart, i) => {
      if (isPlainObject(chart) && isPlainObject(chart.valuesInline)) checkValues(c, chart.valuesInline, ["helmCharts", i, "valuesInline"], false);
    });
  }
  for (const lit of generatorLiterals(c.ctx.doc.value, "configMapGenerator")) {
    // argocd-autopilot's bootstrap merges `repository.credentials` into argocd-cm this way: Secret references only.
    if (!isSecretSetting(lit.key, lit.value) || onlySecretReferences(lit.generator, lit.key, lit.value)) continue;
    reportAt(c, lit.path, `Kustomize configMapGenerator "${lit.generator}" sets ${shownKey(lit.key)} to a literal value.`, undefined, lit.value);
  }
}

/**
 * `Authorization:` as a key or `name: Authorization` (any case) in a file's text: read once per file, not once per
 * document (`rbac.authorization.k8s.io` in every RBAC file is neither).
 */
const AUTHORIZATION_TEXT = /authorization["']?[ \t]*:|name:[ \t]*["']?(?:proxy-)?authorization\b/i;
const mentionsAuthorization = new WeakMap<ParsedFile, boolean>();
function hasAuthorizationText(file: ParsedFile): boolean {
  let v = mentionsAuthorization.get(file);
  if (v === undefined) mentionsAuthorization.set(file, (v = file.text === null || AUTHORIZATION_TEXT.test(file.text)));
  return v;
}

/**
 * Any other Kubernetes object (a Secret is `secrets/plaintext-secret`'s): an HTTP `Authorization` header written with
 * its credential, in a field named after the header (an External Secrets webhook provider's `headers: {Authorization:
 * Basic …}`, found on a real ClusterSecretStore) or in a `{name, value}` header entry (a probe's `httpHeaders`).
 * Container `env` entries are `secrets/literal-env-secret`'s.
 */
function checkHeaders(c: Check): void {
  if (!hasAuthorizationText(c.ctx.file)) return;
  eachLeaf(c.ctx.doc.value, (at, key, value, parent) => {
    const named = typeof key === "string" && isAuthorizationSetting(key, value);
    const entry = key === "value" && isPlainObject(parent) && typeof parent.name === "string" && at[at.length - 3] !== "env" && isAuthorizationSetting(parent.name, value);
    if (!named && !entry) return;
    const path = [...at];
    if (untagged(c, path)) reportAt(c, path, `${describeDoc(c.ctx.doc)} sets ${where(path)} to an HTTP Authorization header with a literal credential.`, undefined, value);
  });
}

/** One document (see the rule's description). */
function judgeDoc(ctx: DocContext): void {
  const { doc } = ctx;
  const c: Check = { ctx, out: new CappedReports(ctx, "literal secret values"), applied: false };
  // A HelmRelease or ConfigMap whose apiVersion line is missing or misspelt is judged as the object it was written as.
  const assumed = objectWithoutApiVersion(doc);
  const docClass = assumed?.class ?? doc.class;
  const kind = assumed?.kind ?? doc.resource.kind;
  const apiVersion = assumed?.apiVersion ?? doc.resource.apiVersion ?? "";
  if (docClass === "kubernetes" && kind === "ConfigMap" && apiVersion === "v1") {
    checkConfigMap(c);
    checkBinaryData(c);
  } else if (doc.class === "helm-values") checkValues(c, doc.value, [], sopsInfo(doc.value) !== null);
  else if (docClass === "kubernetes" && kind === "HelmRelease" && apiVersion.startsWith("helm.toolkit.fluxcd.io/")) {
    const values = getIn(doc.value, ["spec", "values"]);
    if (isPlainObject(values)) checkValues(appliedValues(c), values, ["spec", "values"], false);
  } else if (docClass === "kubernetes" && kind === "Kustomization" && apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
    // Flux `postBuild.substitute`: plain variables written into the rendered manifests (`${grafana_admin_password}`).
    const substitute = getIn(doc.value, ["spec", "postBuild", "substitute"]);
    if (isPlainObject(substitute)) checkValues(c, substitute, ["spec", "postBuild", "substitute"], false);
  } else if (docClass === "argocd" && kind === "Application") checkArgoHelm(c, ["spec"]);
  else if (docClass === "argocd" && kind === "ApplicationSet") {
    checkArgoHelm(c, ["spec", "template", "spec"]);
    checkListGenerators(c, getIn(doc.value, ["spec", "generators"]), ["spec", "generators"]);
  }
  else if (doc.class === "kustomization") checkKustomization(c);
  else if (docClass === "other" && HELMFILE.test(ctx.file.path)) checkHelmfile(c);
  else if (docClass === "other" && monitoringConfigOf(ctx.file.path) !== null) checkValues(c, doc.value, [], sopsInfo(doc.value) !== null);
  else if (docClass === "kubernetes" && kind === "Ingress") checkIngressSnippets(c);
  else if (docClass === "kubernetes" && kind === "Provider" && apiVersion.startsWith("notification.toolkit.fluxcd.io/")) {
    // A Flux notification Provider's `address` may be the webhook itself (Discord, Teams); `secretRef` is the way.
    const address = getIn(doc.value, ["spec", "address"]);
    if (typeof address === "string" && isCredentialUrl(address)) flagUrl(c, ["spec", "address"], address);
  } else if (docClass === "kubernetes" && !(kind === "Secret" && apiVersion === "v1")) checkHeaders(c);
  c.out.finish();
}

/**
 * Argo CD objects written in a Helm chart's templates (an app-of-apps chart's Applications; see
 * helm-template-argocd.ts): the engine hands those derived documents to the Argo CD rules only, so the literal parts of
 * their Helm sources (`helm.parameters`, `valuesObject`, `values`) are judged here, from the file skipped as a
 * template. A value a template action writes reads as its `{{ }}` text there: a reference, never a finding.
 */
function checkHelmTemplateObjects(ctx: FileContext): void {
  if (ctx.file.docs.length > 0) return; // a template the parser skipped has no document of its own
  for (const doc of derivedDocs(ctx.file)) {
    // A workload or RBAC object of the template is judged by the rules of its literal settings only (`judgedBy`).
    if (!isHelmTemplateDoc(doc) || doc.judgedBy !== undefined) continue;
    const report = (r: Report): void => ctx.report({ ...r, range: r.range ?? doc.locate(r.path, r.target), docIndex: doc.index, resource: doc.resource });
    judgeDoc({ doc, file: ctx.file, settings: ctx.settings, isProduction: ctx.isProduction, report });
  }
}

export default defineRule({
  meta: {
    id: "secrets/sensitive-config-value",
    title: "Secret in a ConfigMap or Helm values",
    severity: "high",
    judgesCommittedContent: true,
    description:
      "A ConfigMap `data` key (and a text file in `binaryData`, decoded from base64 and judged the same way, known credential formats named) or a Helm values key (nested keys; values files, Flux HelmRelease `spec.values` and Kustomization `spec.postBuild.substitute` variables, Argo CD `helm.valuesObject`/`parameters` and Config Management Plugin `env`/`parameters`, ApplicationSet `list` generator elements, Kustomize `helmCharts[].valuesInline` and `configMapGenerator` literals, helmfile releases' `set` and inline `values`, and a bare Alertmanager or Prometheus configuration file — `alertmanager*.yml`, `prometheus*.yml` that is no Kubernetes object — whose receivers and scrape configs hold `smtp_auth_password`, `routing_key`, `api_key`, `basic_auth.password`) whose name looks secret, with a literal value (also the items of a list so named, such as the MongoDB chart's `auth.passwords`, and the entries of a map so named, such as `apiKeys: {team-a: …}`), or a `…Key` name whose qualifier says nothing about secrecy (`replicaSetKey`, `fernetKey`, `routing_key`; not `siteKey`, `publicKey`) holding generated key material of 16 characters or more (base64, alphanumeric, or hex of 128 bits or more; not a composed name such as `v1-deps-3f9a…`, a path, a digest or a key id); also, under any key, a URL that carries its own credential (a Discord or Microsoft Teams webhook with its token in the path, a `?sig=` or `?code=` with generated text; Slack webhooks are `secrets/known-credential`'s), and such a URL as a Flux notification Provider's `address`; also credential fields of config files embedded in those values or in ingress-nginx `*-snippet` annotations (judged as above, `…Key` names and credential URLs included, e.g. an alertmanager `routing_key` or Teams `webhook_url`; `*.properties`, `config.json`, connection strings, SQL `PASSWORD '…'`, htpasswd, `.pgpass`, pgbouncer userlists, redis ACL `>password`, literal `Authorization` headers, PHP `define('DB_PASSWORD', …)`, .NET `<add key=\"…Password\" value=\"…\"/>`, the pairs of a one-line flow mapping or object literal such as `db: {host: db, password: …}` or a Python dict); also an HTTP `Authorization` header with a literal credential (`Basic` of a `user:password` whose password is literal, `Bearer` with generated text) wherever it is set: in those values, or in any other Kubernetes object (an External Secrets webhook provider's `headers`, a probe's `httpHeaders`). A ConfigMap, Flux HelmRelease or Kustomization, or Argo CD Application or ApplicationSet whose `apiVersion` line is missing or misspelt (`kapiVersion:`) is judged as the object it was written as: it cannot be applied, but its content is committed. The bare word `password` under a password's name is a stand-in in a values file, but the weak password itself in a deployed object's inline Helm values (an Application's `helm.values`/`valuesObject`/`parameters`, a HelmRelease's `spec.values`), applied as written. Argo CD Applications and ApplicationSets written in a Helm chart's templates (an app-of-apps chart) are judged for what they write literally; a value a template action writes is a reference. At most 100 findings per document; the rest are counted in one more finding. Names compiled into a browser bundle (`NEXT_PUBLIC_…`, `VITE_…`, `REACT_APP_…`, `EXPO_PUBLIC_…`, `NUXT_PUBLIC_…`, `PUBLIC_…`, `GATSBY_…`) are not judged by name, and public client keys (Stripe `pk_live_…`, Mapbox `pk.…`, PostHog `phc_…`, a Supabase `anon` JWT) are no secrets under any name.",
    rationale:
      "ConfigMaps and Helm values are plain configuration: they are committed unencrypted, readable by anyone with `get configmaps` in the namespace, and rendered into Helm release records. A password placed there is leaked.",
    fix: "Put the value in a Secret (encrypted or external) and reference it (`existingSecret`, `valueFrom.secretKeyRef`, `envFrom.secretRef`); rotate the committed value.",
    example: {
      bad: "auth:\n  password: hunter2\n",
      good: "auth:\n  existingSecret: db-credentials\n",
    },
  },
  checkDoc: judgeDoc,
  checkFile: checkHelmTemplateObjects,
});
