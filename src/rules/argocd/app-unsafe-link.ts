import type { JsonPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import { isKubernetesClass, isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { getIn, podSpecs } from "../../parse/workloads.js";
import { annotationsAt, appSpecs, describeDoc, isApplicationSet } from "./_app-common.js";

const LINK_PREFIX = "link.argocd.argoproj.io/";
const SAFE_SCHEMES = new Set(["http", "https", "mailto"]);
/** Schemes that run code or read local data when clicked, whatever the text around them. */
const SCRIPT_SCHEMES = new Set(["javascript", "vbscript", "data", "file"]);

/**
 * The scheme of a URL-looking value when it is not http, https or mailto; null otherwise. Normalised the
 * way browsers parse URLs: leading/trailing control characters and spaces are dropped and tabs/newlines
 * removed anywhere, so `  java\tscript:` is `javascript:`. `strict` is for values that are always links
 * (link annotations); `info[].value` is free text as well, so there only script schemes and
 * `scheme://` values count ("Owner: team-a" is text, not a URL).
 */
export function unsafeScheme(raw: unknown, strict: boolean): string | null {
  if (typeof raw !== "string") return null;
  const value = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(value);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (SAFE_SCHEMES.has(scheme)) return null;
  if (strict || SCRIPT_SCHEMES.has(scheme) || m[2]!.startsWith("//")) return scheme;
  return null;
}

interface Place {
  annotations: Record<string, unknown>;
  path: JsonPath;
  where: string;
}

/** Annotation maps whose link annotations the Argo CD UI shows: the object's own, pod templates', an ApplicationSet template's. */
function annotationPlaces(root: Record<string, unknown>, doc: ParsedDoc): Place[] {
  const places: Place[] = [{ annotations: annotationsAt(root.metadata), path: ["metadata", "annotations"], where: "" }];
  for (const pod of podSpecs(doc)) {
    if (pod.metadataPath.length > 1) places.push({ annotations: annotationsAt(pod.metadata), path: [...pod.metadataPath, "annotations"], where: " pod template" });
  }
  if (isApplicationSet(doc)) {
    const path = ["spec", "template", "metadata"];
    places.push({ annotations: annotationsAt(getIn(root, path)), path: [...path, "annotations"], where: " template" });
  }
  return places;
}

export default defineRule({
  meta: {
    id: "argocd/app-unsafe-link",
    title: "Argo CD UI link with an unsafe scheme",
    severity: "high",
    description:
      "A `link.argocd.argoproj.io/*` annotation (on any object, its pod template, an ApplicationSet template or Kustomize `commonAnnotations`) whose value has a scheme other than http, https or mailto, or an Application `spec.info[].value` that is a `javascript:`, `vbscript:`, `data:`, `file:` or other non-http `scheme://` URL.",
    rationale:
      "The Argo CD UI turns these values into clickable links. A `javascript:` (or similar) link runs script in the Argo CD origin with the session of whoever clicks it, which can sync, delete or exfiltrate anything that user may touch (CVE-2022-31035, GHSA-h4w9-6x78-8vrj).",
    fix: "Use an `https://` URL (or `http://`) for link annotations and `info` values.",
    example: {
      bad: "metadata:\n  annotations:\n    link.argocd.argoproj.io/dashboard: javascript:alert(document.cookie)\n",
      good: "metadata:\n  annotations:\n    link.argocd.argoproj.io/dashboard: https://grafana.example.com/d/web\n",
    },
  },
  checkDoc({ doc, report }) {
    const root = doc.value;
    if (!isPlainObject(root)) return;
    const places: Place[] = [];
    if (isKubernetesClass(doc.class)) places.push(...annotationPlaces(root, doc));
    else if (doc.class === "kustomization" && isPlainObject(root.commonAnnotations)) {
      places.push({ annotations: root.commonAnnotations, path: ["commonAnnotations"], where: " commonAnnotations" });
    }
    const who = doc.class === "kustomization" ? "Kustomization" : describeDoc(doc);
    for (const place of places) {
      for (const [key, value] of Object.entries(place.annotations)) {
        if (!key.startsWith(LINK_PREFIX)) continue;
        const scheme = unsafeScheme(value, true);
        if (scheme) report({ path: [...place.path, key], message: `${who}${place.where} link annotation ${key} uses the "${scheme}:" scheme.` });
      }
    }

    for (const ref of appSpecs(doc)) {
      if (!Array.isArray(ref.spec.info)) continue;
      ref.spec.info.forEach((entry, i) => {
        if (!isPlainObject(entry)) return;
        const scheme = unsafeScheme(entry.value, false);
        if (scheme) report({ path: [...ref.path, "info", i, "value"], message: `${ref.label} info[${i}] value uses the "${scheme}:" scheme.` });
      });
    }
  },
});
