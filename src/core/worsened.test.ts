import { describe, expect, it } from "@jest/globals";
import type { Fingerprintable } from "./fingerprint.js";
import type { Severity } from "./types.js";
import { pairChangedSeverity } from "./worsened.js";

const ESC = "k8s/privilege-escalation";
const CONTAINER = 'spec.template.spec.containers[name="api"]';

function finding(identity: string, severity: Severity, rule = ESC, name = "api"): Fingerprintable {
  return {
    ruleId: rule,
    severity,
    file: "app/api.yaml",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name },
    path: identity,
    identity,
    message: "m",
    fix: "f",
    docIndex: 0,
  };
}

/** The pairs, as `head identity (severity) ← base identity (severity)`. */
function pairs(head: Fingerprintable[], base: Fingerprintable[]): string[] {
  const out = pairChangedSeverity(head, base);
  return head.filter((f) => out.has(f)).map((f) => `${f.identity} (${f.severity}) ← ${out.get(f)!.identity} (${out.get(f)!.severity})`);
}

describe("pairChangedSeverity: a risk made worse or milder in place", () => {
  it("pairs a container's finding with one of the same rule at a field inside it, either way round", () => {
    const field = `${CONTAINER}.securityContext.allowPrivilegeEscalation`;
    expect(pairs([finding(field, "high")], [finding(CONTAINER, "medium")])).toEqual([`${field} (high) ← ${CONTAINER} (medium)`]);
    expect(pairs([finding(CONTAINER, "medium")], [finding(field, "high")])).toEqual([`${CONTAINER} (medium) ← ${field} (high)`]);
  });

  it("pairs a pod's finding with one at a field of the pod", () => {
    expect(pairs([finding("spec.template.spec.securityContext.runAsUser", "high", "k8s/run-as-root")], [finding("spec.template.spec", "medium", "k8s/run-as-root")])).toHaveLength(1);
  });

  it("pairs the same severity too (a value written, then deleted, the risk unchanged), and a pod-level securityContext field with a container", () => {
    const field = `${CONTAINER}.securityContext.readOnlyRootFilesystem`;
    expect(pairs([finding(CONTAINER, "low", "k8s/writable-root-filesystem")], [finding(field, "low", "k8s/writable-root-filesystem")])).toEqual([`${CONTAINER} (low) ← ${field} (low)`]);
    const podField = "spec.template.spec.securityContext.runAsNonRoot";
    expect(pairs([finding(CONTAINER, "medium", "k8s/run-as-root")], [finding(podField, "high", "k8s/run-as-root")])).toEqual([`${CONTAINER} (medium) ← ${podField} (high)`]);
    // Another pod's securityContext is not this container's.
    expect(pairs([finding(CONTAINER, "medium", "k8s/run-as-root")], [finding("spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot", "high", "k8s/run-as-root")])).toEqual([]);
  });

  it("does not pair another rule, another object, or paths that are not a container and a field in it", () => {
    const field = `${CONTAINER}.securityContext.allowPrivilegeEscalation`;
    expect(pairs([finding(field, "high")], [finding(CONTAINER, "medium", "k8s/run-as-root")])).toEqual([]);
    expect(pairs([finding(field, "high")], [finding(CONTAINER, "medium", ESC, "web")])).toEqual([]);
    // Another container whose name starts with this one's, and a field beside the container rather than in it.
    expect(pairs([finding('spec.template.spec.containers[name="api2"].securityContext.allowPrivilegeEscalation', "high")], [finding(CONTAINER, "medium")])).toEqual([]);
    expect(pairs([finding("spec.template.spec.volumes[0].hostPath", "high")], [finding("spec.template.spec.volumes", "medium")])).toEqual([]);
  });

  it("pairs each finding once", () => {
    const a = finding(`${CONTAINER}.securityContext.capabilities.add[0]`, "critical", "k8s/dangerous-capabilities");
    const b = finding(`${CONTAINER}.securityContext.capabilities.add[1]`, "critical", "k8s/dangerous-capabilities");
    expect(pairs([a, b], [finding(CONTAINER, "medium", "k8s/dangerous-capabilities")])).toHaveLength(1);
  });
});
