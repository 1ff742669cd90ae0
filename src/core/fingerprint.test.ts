import { describe, expect, it } from "@jest/globals";
import { identityPath } from "./fingerprint.js";

describe("identityPath", () => {
  const pod = {
    spec: {
      containers: [
        { name: "proxy", ports: [{ containerPort: 80 }] },
        { name: "web", env: [{ name: "A" }, { name: "A" }], securityContext: { capabilities: { add: ["NET_ADMIN"] } } },
      ],
    },
  };

  it("names list items by their name where every item of the list has a distinct one", () => {
    expect(identityPath(pod, ["spec", "containers", 1, "securityContext", "capabilities", "add", 0])).toBe('spec.containers[name="web"].securityContext.capabilities.add[0]');
  });

  it("keeps the index in lists without names, with a repeated name, and past the value", () => {
    expect(identityPath(pod, ["spec", "containers", 0, "ports", 0, "hostPort"])).toBe('spec.containers[name="proxy"].ports[0].hostPort');
    expect(identityPath(pod, ["spec", "containers", 1, "env", 1, "value"])).toBe('spec.containers[name="web"].env[1].value');
    expect(identityPath(pod, ["spec", "containers", 5])).toBe("spec.containers[5]");
    expect(identityPath(pod, ["metadata", "annotations", "a.b/c"])).toBe('metadata.annotations["a.b/c"]');
  });
});
