/**
 * A kustomization that does not render becomes a note in every report (and `render`'s stderr). What did not parse is
 * often a credential written the wrong way, so a reason points at the line and never quotes the input; a URL's
 * userinfo is masked.
 */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree } from "../../src/kustomize/index.js";
import { lines } from "./render-helpers.js";

function reasonOf(files: Record<string, string>): string {
  const r = buildKustomization(memoryTree(files), "app");
  if (r.ok) throw new Error("expected the build to fail");
  return r.reason;
}

describe("failure reasons never carry a secret", () => {
  it("a secretGenerator literal without '=' is named by its line, not quoted", () => {
    const reason = reasonOf({
      "app/kustomization.yaml": lines("secretGenerator:", "  - name: db", "    literals:", "      - DB_USER=app", "      - DB_PASSWORD:Wv3#Tq8zLm"),
    });
    expect(reason).not.toContain("Wv3#Tq8zLm");
    expect(reason).toContain("app/kustomization.yaml:5");
    expect(reason).toContain("expected key=value");
  });

  it("an env file line without '=' is named by its line, not quoted", () => {
    const files = {
      "app/kustomization.yaml": lines("secretGenerator:", "  - name: db", "    envs: [app.env]"),
      "app/app.env": lines("# credentials", "DB_USER=app", "export DB_PASSWORD Vq7!mZ3xKp"),
    };
    const reason = reasonOf(files);
    expect(reason).not.toContain("Vq7!mZ3xKp");
    expect(reason).toBe('app/app.env:3: a name with no "=": kustomize would take its value from the environment');
  });

  it("a bare token on an env line (a valid name with no '=') is not quoted either", () => {
    const token = "ghp_KGpOyQNcdOyZbkBFTFoOxtzHq8STZHE6svi3";
    const reason = reasonOf({
      "app/kustomization.yaml": lines("configMapGenerator:", "  - name: cfg", "    envs: [app.env]"),
      "app/app.env": lines("A=1", token),
    });
    expect(reason).not.toContain(token);
    expect(reason).toContain("app/app.env:2: a name with no \"=\"");
  });

  it("keys kubectl kustomize accepts as they are (export KEY, spaces, slashes) render, as there", () => {
    const r = buildKustomization(
      memoryTree({
        "app/kustomization.yaml": lines("secretGenerator:", "  - name: db", "    literals:", "      - a b=1", "      - a/b=2", "    envs: [app.env]"),
        "app/app.env": lines("export KEY4=exported"),
      }),
      "app",
    );
    if (!r.ok) throw new Error(r.reason);
    expect(Object.keys(r.resources[0]!.value.data as object)).toEqual(["a b", "a/b", "export KEY4"]);
  });

  it("an inline patch that is neither a file nor a map is named by its line, not quoted", () => {
    const reason = reasonOf({
      "app/kustomization.yaml": lines("resources: [d.yaml]", "patchesStrategicMerge:", "  - password s3cr3t-Inline-Pw"),
      "app/d.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: cfg}"),
    });
    expect(reason).not.toContain("s3cr3t-Inline-Pw");
    expect(reason).toContain("app/kustomization.yaml:3:");
  });

  it("a patchesStrategicMerge file that does not exist is named, as kubectl names it", () => {
    // Reduced from a public GitOps repository: an overlay listing a patch file nobody committed.
    const reason = reasonOf({
      "app/kustomization.yaml": lines("resources: [d.yaml]", "patchesStrategicMerge:", "  - web-patch.yaml", "  - api-patch.yaml"),
      "app/d.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: cfg}"),
      "app/api-patch.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: cfg}", "data: {a: b}"),
    });
    expect(reason).toBe('app/kustomization.yaml:3: patchesStrategicMerge[0]: the patch file "web-patch.yaml" (app/web-patch.yaml) does not exist');
  });

  it("a remote resource's credentials are masked, the rest of the URL is kept", () => {
    const reason = reasonOf({
      "app/kustomization.yaml": lines("resources:", "  - https://deploy:gl0bal-T0ken#x@gitlab.example.com/ops/base.git//apps?ref=v1"),
    });
    expect(reason).not.toContain("gl0bal-T0ken");
    expect(reason).not.toContain("deploy:");
    expect(reason).toContain("https://***@gitlab.example.com/ops/base.git//apps?ref=v1");
  });
});
