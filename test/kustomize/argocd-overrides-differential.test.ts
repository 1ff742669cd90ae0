/**
 * Differential check of Argo CD's kustomize overrides against the real Kustomize: each case is a tree, an
 * Application's `kustomize` block, and the kustomization as Argo CD's `kustomize edit` commands leave it (written by
 * hand from kustomize/commands/edit/…: images merged by name and sorted, labels and annotations added, `patches`
 * appended, components added). `kubectl kustomize` (Kustomize v5.5 inside) builds the edited copy; the in-process
 * build applies the overrides to the untouched kustomization; both must give the same objects in the same order.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { applicationSources, createRenderSession, memoryTree } from "../../src/kustomize/index.js";
import { lines } from "./render-helpers.js";

const BASE = {
  "base/kustomization.yaml": lines("resources:", "  - deployment.yaml", "  - service.yaml"),
  "base/deployment.yaml": lines(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: api}",
    "spec:",
    "  replicas: 1",
    "  selector: {matchLabels: {app: api}}",
    "  template:",
    "    metadata: {labels: {app: api}}",
    "    spec:",
    "      containers:",
    "        - {name: api, image: ghcr.io/acme/api}",
    "        - {name: proxy, image: 'envoyproxy/envoy:v1.30.0'}",
  ),
  "base/service.yaml": lines("apiVersion: v1", "kind: Service", "metadata: {name: api}", "spec: {selector: {app: api}, ports: [{port: 80}]}"),
  "overlay/components/debug/kustomization.yaml": lines(
    "apiVersion: kustomize.config.k8s.io/v1alpha1",
    "kind: Component",
    "patches:",
    "  - patch: |-",
    "      apiVersion: apps/v1",
    "      kind: Deployment",
    "      metadata: {name: api, annotations: {debug: 'on'}}",
  ),
};

const OVERLAY = lines("resources:", "  - ../base", "namePrefix: old-", "images:", "  - name: envoyproxy/envoy", "    newTag: v1.31.0", "commonLabels:", "  tier: web");

const APP = (kustomize: string[]): string =>
  lines("apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata: {name: api}", "spec:", "  source:", "    path: overlay", "    kustomize:", ...kustomize.map((l) => `      ${l}`));

/** Written the same way in the Application and in the edited kustomization (where `tier` replaces the overlay's). */
const LABELS_AND_ANNOTATIONS = ["commonLabels:", "  tier: api", "  team: payments", "commonAnnotations:", "  owner: payments"];

/** Written the same way in the Application and, appended, in the edited kustomization. */
const PATCHES_AND_COMPONENTS = [
  "patches:",
  "  - target: {kind: Service}",
  "    patch: |-",
  "      - op: add",
  "        path: /spec/type",
  "        value: NodePort",
  "components:",
  "  - components/debug",
];

interface Case {
  name: string;
  kustomize: string[];
  /** The overlay's kustomization after Argo CD's edits. */
  edited: string;
}

const CASES: Case[] = [
  {
    name: "images (tag, rename, digest), namePrefix, nameSuffix, namespace",
    kustomize: [
      "namePrefix: prod-",
      "nameSuffix: -v2",
      "namespace: payments",
      "images:",
      "  - ghcr.io/acme/api:1.2.3",
      "  - envoyproxy/envoy=mirror.acme/envoy@sha256:" + "a".repeat(64),
    ],
    edited: lines(
      "resources:",
      "  - ../base",
      "namePrefix: prod-",
      "nameSuffix: -v2",
      "namespace: payments",
      "images:",
      "  - name: envoyproxy/envoy",
      "    newName: mirror.acme/envoy",
      `    digest: sha256:${"a".repeat(64)}`,
      "  - name: ghcr.io/acme/api",
      "    newTag: 1.2.3",
      "commonLabels:",
      "  tier: web",
    ),
  },
  {
    name: "labels (forced over the overlay's own), annotations, replicas, patches, components",
    kustomize: [
      "forceCommonLabels: true",
      ...LABELS_AND_ANNOTATIONS,
      "replicas:",
      "  - {name: api, count: 4}",
      ...PATCHES_AND_COMPONENTS,
    ],
    edited: lines(
      "resources:",
      "  - ../base",
      "namePrefix: old-",
      "images:",
      "  - name: envoyproxy/envoy",
      "    newTag: v1.31.0",
      ...LABELS_AND_ANNOTATIONS,
      "replicas:",
      "  - name: api",
      "    count: 4",
      ...PATCHES_AND_COMPONENTS,
    ),
  },
  {
    name: "labelWithoutSelector with templates",
    kustomize: ["labelWithoutSelector: true", "labelIncludeTemplates: true", "commonLabels:", "  team: payments"],
    edited: OVERLAY + lines("labels:", "  - pairs: {team: payments}", "    includeTemplates: true"),
  },
];

function kubectl(files: Record<string, string>, dir: string): unknown[] {
  const root = mkdtempSync(join(tmpdir(), "argokust-"));
  try {
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    }
    const out = execFileSync("kubectl", ["kustomize", join(root, dir)], { encoding: "utf8" });
    return parseAllDocuments(out).map((d) => d.toJS() as unknown);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("Argo CD kustomize overrides = kubectl kustomize of the kustomization Argo CD's edits leave", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const files = { ...BASE, "overlay/kustomization.yaml": OVERLAY, "argocd/app.yaml": APP(c.kustomize) };
    const [source] = applicationSources("argocd/app.yaml", files["argocd/app.yaml"]);
    expect(source?.edit).not.toBeNull();
    const ours = createRenderSession(memoryTree(files)).build("overlay", source!.edit!);
    if (!ours.ok) throw new Error(ours.reason);
    const theirs = kubectl({ ...BASE, "overlay/kustomization.yaml": c.edited }, "overlay");
    expect(JSON.parse(JSON.stringify(ours.resources.map((r) => r.value)))).toEqual(theirs);
    // And the overrides changed something: the plain overlay builds differently.
    expect(theirs).not.toEqual(kubectl({ ...BASE, "overlay/kustomization.yaml": OVERLAY }, "overlay"));
  });
});
