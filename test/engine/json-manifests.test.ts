/**
 * A `.json` file that is a Kubernetes manifest is reviewed as the same object in YAML is: Argo CD's directory sources
 * apply `*.json` (held-out round 21: a privileged JSON DaemonSet passed a review silently). Other JSON — dashboards,
 * `renovate.json` — is not judged.
 */
import { describe, expect, it } from "@jest/globals";
import { isJsonManifest } from "../../src/parse/json-manifest.js";
import { reviewRepo, where, type Files } from "./kustomize-helpers.js";

const daemonSet = (privileged: boolean): string =>
  `${JSON.stringify(
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "ops" },
      spec: {
        selector: { matchLabels: { app: "agent" } },
        template: {
          metadata: { labels: { app: "agent" } },
          spec: { containers: [{ name: "a", image: "registry.example.com/agent:1.2.3", securityContext: { privileged } }] },
        },
      },
    },
    null,
    2,
  )}\n`;
const PRIV = "k8s/privileged-container";

describe("JSON manifests", () => {
  it("a privileged container added in a JSON DaemonSet is new, at its line; making it unprivileged fixes it", () => {
    const app: Files = { "apps/readme.md": "agents\n" };
    const r = reviewRepo(app, { ...app, "apps/agent.json": daemonSet(true) });
    expect(where(r, PRIV)).toEqual([`${PRIV} apps/agent.json:26:29 new`]);
    expect(r.conclusion).toBe("failure");
    expect(where(reviewRepo({ "apps/agent.json": daemonSet(true) }, { "apps/agent.json": daemonSet(false) }), PRIV)).toEqual([`${PRIV} apps/agent.json:26:29 fixed`]);
  });

  it("a dashboard, renovate.json or a JSON file that does not parse is not judged", () => {
    const head: Files = {
      "dashboards/api.json": JSON.stringify({ title: "API", panels: [{ kind: "graph", apiVersion: 1 }] }),
      "renovate.json": '{"extends": ["config:recommended"]}\n',
      "apps/broken.json": '{"apiVersion": "v1", "kind": "Secret",',
    };
    const r = reviewRepo({}, head);
    expect(r.findings).toEqual([]);
    expect(r.conclusion).toBe("success");
  });

  it("isJsonManifest: one object with a string apiVersion and kind", () => {
    expect(isJsonManifest('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}')).toBe(true);
    expect(isJsonManifest('{"apiVersion": "v1", "kind": "List", "items": []}')).toBe(true);
    expect(isJsonManifest(new TextEncoder().encode('{"apiVersion": "v1", "kind": "Namespace"}'))).toBe(true);
    expect(isJsonManifest('{"kind": "graph", "apiVersion": 1}')).toBe(false);
    expect(isJsonManifest('[{"apiVersion": "v1", "kind": "ConfigMap"}]')).toBe(false);
    expect(isJsonManifest("not json")).toBe(false);
    expect(isJsonManifest(undefined)).toBe(false);
  });
});
