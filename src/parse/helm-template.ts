import { Lexer } from "yaml";

/**
 * True when the text uses Go/Helm template syntax (`{{ ... }}`) outside of YAML strings, i.e. it is a
 * template to render, not a manifest to read. `{{` inside quoted, plain or block scalars (ApplicationSet
 * templates, annotations) does not count: those files are still valid YAML and are reviewed.
 */
export function hasTemplateSyntax(text: string): boolean {
  if (!text.includes("{{")) return false;
  let previous = "";
  for (const token of new Lexer().lex(text)) {
    if (token === "{" && previous === "{") return true;
    previous = token;
  }
  return false;
}
