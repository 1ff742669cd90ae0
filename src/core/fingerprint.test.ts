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

  it("keeps the index in lists without names or identifying fields, with a repeated name, and past the value", () => {
    expect(identityPath(pod, ["spec", "containers", 0, "ports", 0, "hostPort"])).toBe('spec.containers[name="proxy"].ports[containerPort=80].hostPort');
    expect(identityPath(pod, ["spec", "containers", 1, "env", 1, "value"])).toBe('spec.containers[name="web"].env[1].value');
    expect(identityPath(pod, ["spec", "containers", 5])).toBe("spec.containers[5]");
    expect(identityPath(pod, ["metadata", "annotations", "a.b/c"])).toBe('metadata.annotations["a.b/c"]');
  });

  it("names items of a list of maps without names by the fields that say what they are, when they tell every item apart", () => {
    const dest = (namespace: string) => ({ server: "https://kubernetes.default.svc", namespace });
    const project = { spec: { destinations: [dest("a"), dest("b"), dest("*"), dest("d")] } };
    const without = { spec: { destinations: [dest("a"), dest("*"), dest("d")] } };
    // Removing the second destination leaves the wildcard's identity as it was.
    const wildcard = identityPath(project, ["spec", "destinations", 2, "namespace"]);
    expect(wildcard).toBe('spec.destinations[server="https://kubernetes.default.svc",namespace="*"].namespace');
    expect(identityPath(without, ["spec", "destinations", 1, "namespace"])).toBe(wildcard);
    // RBAC rules: by groups, resources and verbs.
    const role = { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }, { apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] };
    expect(identityPath(role, ["rules", 1, "verbs"])).toBe('rules[apiGroups=["*"],resources=["*"],verbs=["*"]].verbs');
    // Two alike items, an item with none of the fields, or a field that is not plain: the index stays.
    expect(identityPath({ d: [dest("a"), dest("a")] }, ["d", 1])).toBe("d[1]");
    expect(identityPath({ d: [dest("a"), { value: "x" }] }, ["d", 0])).toBe("d[0]");
    expect(identityPath({ d: [{ key: { nested: 1 } }, { key: "k" }] }, ["d", 1])).toBe("d[1]");
    // A list of one item has the identity it keeps when a second joins it (a read-only rule beside a wildcard one).
    const one = { rules: [role.rules[1]!] };
    expect(identityPath(one, ["rules", 0, "verbs"])).toBe(identityPath(role, ["rules", 1, "verbs"]));
    // Never a field that may hold a secret.
    expect(identityPath({ users: [{ password: "p1" }, { password: "p2" }] }, ["users", 1, "password"])).toBe("users[1].password");
  });
});
