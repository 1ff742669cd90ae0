import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./missing-probes.js";
import writable from "./writable-root-filesystem.js";

describe("k8s/missing-probes", () => {
  it("flags long-running containers and sidecars without readiness or liveness probes, at the container", () => {
    const findings = runFixture(rule, "invalid-workloads.yaml");
    expect(positions(findings)).toEqual([
      { line: 14, column: 11, path: "spec.template.spec.initContainers[1]", severity: "low" },
      { line: 18, column: 11, path: "spec.template.spec.containers[0]", severity: "low" },
      { line: 24, column: 11, path: "spec.template.spec.containers[1]", severity: "low" },
      { line: 36, column: 7, path: "spec.containers[0]", severity: "low" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Sidecar container "proxy" in Deployment "web" has no readiness or liveness probe.',
      'Container "web" in Deployment "web" has no liveness probe.',
      // A startup probe replaces neither.
      'Container "worker" in Deployment "web" has no readiness or liveness probe.',
      'Container "standalone" in Pod "standalone" has no readiness or liveness probe.',
    ]);
  });

  it("names a native sidecar (an init container with restartPolicy: Always) as the other container rules do", () => {
    const yaml = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: web}",
      "spec:",
      "  initContainers:",
      "    - {name: proxy, image: ghcr.io/acme/proxy:1.0.0, restartPolicy: Always}",
      "    - {name: migrate, image: ghcr.io/acme/migrate:1.0.0}",
      "  containers:",
      "    - {name: web, image: ghcr.io/acme/web:1.0.0, readinessProbe: {httpGet: {port: 80}}, livenessProbe: {httpGet: {port: 80}}}",
      "",
    ].join("\n");
    expect(runRule(rule, yaml).map((f) => f.message)).toEqual(['Sidecar container "proxy" in Pod "web" has no readiness or liveness probe.']);
    expect(runRule(writable, yaml).map((f) => f.message.split(" has ")[0])).toEqual(['Sidecar container "proxy" of Pod "web"', 'Init container "migrate" of Pod "web"', 'Container "web" of Pod "web"']);
  });

  it("passes probed containers, init and ephemeral containers, Jobs, CronJobs, run-once Pods and Kustomize patches", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });

  it("options.required: only the probes the config requires are reported missing", () => {
    const findings = runFixture(rule, "invalid-workloads.yaml", { config: { rules: { "k8s/missing-probes": { options: { required: ["readiness"] } } } } });
    expect(findings.map((f) => f.message)).toEqual([
      'Sidecar container "proxy" in Deployment "web" has no readiness probe.',
      'Container "worker" in Deployment "web" has no readiness probe.',
      'Container "standalone" in Pod "standalone" has no readiness probe.',
    ]);
  });
});
