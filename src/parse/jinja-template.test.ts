import { describe, expect, it } from "@jest/globals";
import { hasJinjaSyntax, JINJA_TEMPLATE_NOTE } from "./jinja-template.js";
import { parseYamlFile } from "./yaml-file.js";

describe("Jinja/Ansible templates", () => {
  it.each([
    ["a statement on its own line", "{% if ingress_enabled %}\nkind: Ingress\n{% endif %}\n"],
    ["whitespace-control markers inside a mapping", "kind: Pod\nmetadata:\n  name: a\n{%- if debug -%}\n  labels: {}\n{%- endif -%}\n"],
    ["a comment", "{# rendered by ansible #}\nkind: Pod\n"],
    ["a statement as a value", "replicas: {% if prod %}3{% else %}1{% endif %}\n"],
    ["a statement as a list item", "items:\n  - {% for i in range(3) %}\n"],
  ])("detects %s", (_what, text) => {
    expect(hasJinjaSyntax(text)).toBe(true);
    const f = parseYamlFile("roles/app/templates/deploy.yaml", text);
    expect(f).toMatchObject({ skipped: JINJA_TEMPLATE_NOTE, problems: [], docs: [] });
  });

  it.each([
    ["quoted strings", "a: \"{% if x %}\"\nb: '{# y #}'\n"],
    ["a block scalar ({% raw %} in a ConfigMap)", "kind: ConfigMap\ndata:\n  tpl: |\n    {% raw %}\n    {{ x }}\n    {% endraw %}\n"],
    ["a YAML comment", "a: b # {% comment %}\n"],
    ["a plain scalar that only contains the text", "note: use {% raw %} here\n"],
    ["a flow map with a space before a comment", "a: { # x\n  b: 1 }\n"],
  ])("does not count the syntax inside %s", (_what, text) => {
    expect(hasJinjaSyntax(text)).toBe(false);
    expect(parseYamlFile("manifests/a.yaml", text).skipped).toBeNull();
  });
});
