import { describe, expect, it } from "@jest/globals";
import { parseYamlFile } from "./yaml-file.js";
import { hasYttSyntax, YTT_TEMPLATE_NOTE } from "./ytt-template.js";

const DEPLOYMENT = `#@ load("@ytt:data", "data")
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: #@ data.values.app_name
spec:
  template:
    spec:
      containers:
        - name: app
          image: #@ data.values.image
          #@ if data.values.debug:
          securityContext:
            privileged: true
          #@ end
`;

describe("ytt (Carvel) templates", () => {
  it.each([
    ["a load, a value expression and an #@ if block", DEPLOYMENT],
    ["a function definition", "#@ def labels():\napp: web\n#@ end\n---\nkind: Service\n"],
    ["an overlay", '#@overlay/match by=overlay.subset({"kind": "Deployment"})\n---\nspec:\n  template:\n    spec:\n      #@overlay/match missing_ok=True\n      hostNetwork: true\n'],
    ["a value expression in a list", "args:\n- #@ data.values.flag\n"],
    ["text templating", "#@yaml/text-templated-strings\nname: (@= data.values.name @)-web\n"],
  ])("skips %s with a note, judging nothing", (_what, text) => {
    expect(hasYttSyntax(text)).toBe(true);
    expect(parseYamlFile("ytt/config/deployment.yml", text)).toMatchObject({ skipped: YTT_TEMPLATE_NOTE, problems: [], docs: [] });
  });

  it.each([
    ["a data values file (plain data, judged like Helm values)", "#@data/values\n---\nreplicas: 2\n"],
    ["a data values schema", "#@data/values-schema\n---\nreplicas: 1\n"],
    ["#@ inside a block scalar (a ConfigMap holding a ytt file)", "kind: ConfigMap\ndata:\n  t.yml: |\n    #@ load(\"@ytt:data\", \"data\")\n    a: #@ data.values.a\n"],
    ["#@ inside a quoted string", 'kind: ConfigMap\ndata:\n  a: "x #@ y"\n'],
    ["an ordinary comment that starts with #@", "kind: ConfigMap # #@TODO: rename\n#@todo\n"],
  ])("reads %s", (_what, text) => {
    expect(hasYttSyntax(text)).toBe(false);
    const f = parseYamlFile("ytt/config/values.yml", text);
    expect(f.skipped).toBeNull();
    expect(f.docs.length).toBeGreaterThan(0);
  });
});
