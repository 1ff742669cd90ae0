import { CST, Lexer } from "yaml";

/** The note for a file skipped as a Jinja template (Ansible, Salt, cookiecutter, j2 CLI). */
export const JINJA_TEMPLATE_NOTE = "Jinja/Ansible template syntax ({% %} or {# #}) outside strings: render it (e.g. ansible-playbook, j2) to review it";

/**
 * True when the text uses Jinja statement or comment syntax (`{% if … %}`, `{%- … -%}`, `{# … #}`) outside YAML
 * strings, i.e. it is a template to render, not a manifest to read. Found by YAML's own lexer: a flow-map opening
 * `{` directly followed by a `%` scalar or a `#` comment. Neither is valid YAML (`%` cannot start a plain scalar, a
 * comment needs a space before it), so no readable manifest is skipped; the same text inside a quoted, plain or
 * block scalar (a ConfigMap holding an Ansible template, `{% raw %}`) is one scalar token and does not count.
 * `{{ }}` alone is Helm/Go syntax and is left to `hasTemplateSyntax`.
 */
export function hasJinjaSyntax(text: string): boolean {
  if (!text.includes("{%") && !text.includes("{#")) return false;
  let afterBrace = false;
  for (const token of new Lexer().lex(text)) {
    if (afterBrace) {
      if (token === CST.SCALAR) continue; // the marker the lexer puts before a plain scalar
      if (token.startsWith("%") || token.startsWith("#")) return true;
    }
    afterBrace = token === "{";
  }
  return false;
}
