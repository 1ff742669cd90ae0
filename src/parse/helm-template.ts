import { Lexer } from "yaml";

/**
 * True when the text uses Go/Helm template syntax (`{{ ... }}`) outside of YAML strings, i.e. it is a
 * template to render, not a manifest to read. `{{` inside quoted, plain or block scalars (ApplicationSet
 * templates, annotations) does not count: those files are still valid YAML and are reviewed. Stops at the
 * first `{{` found, so a template costs little however long it is.
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

/**
 * A cheap first look (one pass, no lexing): true when some `{{` stands where a flow collection can open — at the
 * start of a line or after `:`, `-`, `?`, `,`, `[` or `{` (spaces between). Quoted (`'{{x}}'`) and plain
 * (`apps/{{name}}`) uses do not qualify, so ApplicationSets are not lexed twice; a Helm template always does.
 * False does not prove the text is no template (the parse-based check covers the rest).
 */
export function mayHaveTemplateSyntax(text: string): boolean {
  for (let i = text.indexOf("{{"); i >= 0; i = text.indexOf("{{", i + 1)) {
    let j = i - 1;
    while (j >= 0 && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j--;
    if (j < 0) return true;
    const c = text[j];
    if (c === "\n" || c === "\r" || c === ":" || c === "-" || c === "?" || c === "," || c === "[" || c === "{") return true;
  }
  return false;
}
