import { describe, expect, it } from "@jest/globals";
import { REMOTE_BASE_PATCHES } from "../../../test/helpers/argocd-fixtures.js";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./anonymous-access.js";

describe("argocd/anonymous-access", () => {
  it('flags users.anonymous.enabled: "true" in argocd-cm at the value', () => {
    const findings = runFixture(rule, "invalid-argocd-cm.yaml");
    expect(positions(findings)).toEqual([{ line: 11, column: 28, path: 'data["users.anonymous.enabled"]', severity: "critical" }]);
    expect(findings[0]!.message).toBe(
      'ConfigMap "argocd-cm" enables anonymous access: anyone who reaches the Argo CD server gets the default role without logging in.',
    );
  });

  it("flags the same setting in argo-cd Helm values (configs.cm)", () => {
    expect(positions(runFixture(rule, "invalid-helm-values.yaml"))).toEqual([
      { line: 7, column: 30, path: 'data["users.anonymous.enabled"]', severity: "critical" },
    ]);
  });

  it("flags server.disable.auth in argocd-cmd-params-cm, read as Go reads booleans", () => {
    const findings = runFixture(rule, "invalid-cmd-params.yaml");
    expect(positions(findings)).toEqual([{ line: 9, column: 24, path: 'data["server.disable.auth"]', severity: "critical" }]);
    expect(findings[0]!.message).toBe(
      'ConfigMap "argocd-cmd-params-cm" sets server.disable.auth: the Argo CD API server skips authentication and RBAC, so anyone who reaches it is an admin.',
    );
  });

  it("flags a Kustomize configMapGenerator literal for argocd-cm (quotes removed, as Kustomize does)", () => {
    expect(positions(runFixture(rule, "invalid-kustomization.yaml"))).toEqual([
      { line: 11, column: 9, path: "configMapGenerator[0].literals[1]", severity: "critical" },
    ]);
  });

  it("passes a disabled setting and other ConfigMaps", () => {
    expect(runFixture(rule, "valid-disabled.yaml")).toEqual([]);
  });

  it("flags a JSON 6902 op adding users.anonymous.enabled to argocd-cm, inline in a kustomization whose base is remote, at the op's value", () => {
    const findings = runRule(rule, REMOTE_BASE_PATCHES, { file: "argocd/kustomization.yaml" });
    expect(positions(findings)).toEqual([{ line: 22, column: 16, path: 'data["users.anonymous.enabled"]', severity: "critical" }]);
    expect(findings[0]!.message).toBe('inline patch patches[1] of ConfigMap "argocd-cm" enables anonymous access: anyone who reaches the Argo CD server gets the default role without logging in.');
  });

  // Held-out round 25: argocd-server's own flag and variable for server.disable.auth were missed.
  describe("argocd-server run with --disable-auth or ARGOCD_SERVER_DISABLE_AUTH", () => {
    const deployment = (container: string[]) =>
      ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: argocd-server", "spec:", "  template:", "    spec:", "      containers:", ...container, ""].join("\n");
    const where = (yaml: string, file = "argocd/argocd-server.yaml") => runRule(rule, yaml, { file }).map((f) => ({ line: f.line, column: f.column, path: f.path, severity: f.severity }));

    it("flags the flag in the argocd-server container's args or command, at the list item", () => {
      const args = deployment(["        - name: argocd-server", '          args: ["/usr/local/bin/argocd-server", "--disable-auth"]']);
      expect(where(args)).toEqual([{ line: 10, column: 50, path: "spec.template.spec.containers[0].args[1]", severity: "critical" }]);
      const findings = runRule(rule, args, { file: "argocd/argocd-server.yaml" });
      expect(findings[0]!.message).toBe(
        'Container "argocd-server" of Deployment "argocd-server" sets --disable-auth: the Argo CD API server skips authentication and RBAC, so anyone who reaches it is an admin.',
      );
      expect(findings[0]!.fix).toBe("Remove `--disable-auth` from the argocd-server container's `args` (or set it to false) and give people SSO accounts.");
      // Told by what it runs, whatever the container is called (the argo-cd chart's is `server`).
      const command = deployment(["        - name: server", "          command:", "            - argocd-server", "            - --disable-auth=true"]);
      expect(where(command)).toEqual([{ line: 12, column: 15, path: "spec.template.spec.containers[0].command[1]", severity: "critical" }]);
    });

    it("flags ARGOCD_SERVER_DISABLE_AUTH=true in its env at the value, and the flag too when both are set", () => {
      const env = ["        - name: argocd-server", "          env:", "            - name: ARGOCD_SERVER_DISABLE_AUTH", '              value: "true"'];
      expect(where(deployment(env))).toEqual([{ line: 12, column: 22, path: "spec.template.spec.containers[0].env[0].value", severity: "critical" }]);
      expect(where(deployment([...env, "          args: [--disable-auth]"]))).toEqual([
        { line: 12, column: 22, path: "spec.template.spec.containers[0].env[0].value", severity: "critical" },
        { line: 13, column: 18, path: "spec.template.spec.containers[0].args[0]", severity: "critical" },
      ]);
    });

    it("stays quiet for --disable-auth=false (over the variable), other flags, a false variable and other containers", () => {
      const env = ["        - name: argocd-server", "          env:", "            - name: ARGOCD_SERVER_DISABLE_AUTH", '              value: "true"'];
      expect(where(deployment([...env, "          args: [--disable-auth=false]"]))).toEqual([]);
      expect(where(deployment(["        - name: argocd-server", "          args: [/usr/local/bin/argocd-server, --insecure, --disable-gzip]"]))).toEqual([]);
      expect(where(deployment(["        - name: argocd-server", "          env:", "            - name: ARGOCD_SERVER_DISABLE_AUTH", '              value: "false"']))).toEqual([]);
      expect(where(deployment(["        - name: web", "          args: [--disable-auth]"]))).toEqual([]);
    });

    it("flags the argo-cd chart's server.extraArgs at the entry, also under an umbrella chart's argo-cd key", () => {
      const values = ["configs:", "  cm:", "    url: https://argocd.example.com", "server:", "  extraArgs:", "    - --insecure", "    - --disable-auth", ""].join("\n");
      expect(where(values, "argo-cd/values.yaml")).toEqual([{ line: 7, column: 7, path: "spec.template.spec.containers[0].args[2]", severity: "critical" }]);
      const findings = runRule(rule, values, { file: "argo-cd/values.yaml" });
      expect(findings[0]!.message).toBe("Helm values server.extraArgs sets --disable-auth: the Argo CD API server skips authentication and RBAC, so anyone who reaches it is an admin.");
      const umbrella = ["argo-cd:", "  server:", "    extraArgs:", "      - --disable-auth=true", ""].join("\n");
      expect(where(umbrella, "values.yaml")).toEqual([{ line: 4, column: 9, path: "spec.template.spec.containers[0].args[1]", severity: "critical" }]);
      expect(where(umbrella.replace("=true", "=false"), "values.yaml")).toEqual([]);
      // An overlay values file of the chart; another chart's `server.extraArgs` is left alone.
      const overlay = ["server:", "  extraArgs:", "    - --disable-auth", ""].join("\n");
      expect(where(overlay, "clusters/prod/argocd/values-prod.yaml")).toEqual([{ line: 3, column: 7, path: "spec.template.spec.containers[0].args[1]", severity: "critical" }]);
      expect(where(overlay, "charts/jupyterhub/values.yaml")).toEqual([]);
    });
  });
});
