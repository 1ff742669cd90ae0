import { Lexer } from "yaml";

/** The note for a file skipped as a ytt (Carvel) template. */
export const YTT_TEMPLATE_NOTE = "ytt template annotations (#@ …) in comments: render it (ytt -f) to review it";

/**
 * A ytt annotation comment: `#@ ` code (`#@ load(…)`, `#@ def`, `#@ if`, `key: #@ data.values.x`) or a named
 * annotation (`#@overlay/match`, `#@yaml/text-templated-strings`, `#@template/replace`). The data values headers
 * `#@data/values` and `#@data/values-schema` alone do not count: such a file is plain data (ytt's values), read and
 * judged like a Helm values file. `#@TODO`-like comments do not count either.
 */
const ANNOTATION = /^#@(?:[ \t]|[a-z][\w-]*\/[\w-]+)/;
const DATA_VALUES = /^#@data\/values(?:-schema)?[ \t]*$/;
const LOOKS_ANNOTATED = /(?:^|[ \t])#@(?:[ \t]|[a-z][\w-]*\/[\w-]+)/m;

/**
 * True when the text uses ytt annotations in YAML comments, i.e. it is a ytt template: YAML parses it (the
 * annotations are comments), but what Argo CD applies (through a ytt plugin) is what ytt computes — `name: #@
 * data.values.name` reads as `name: null`, and an `#@ if` block may never be rendered. Found by YAML's own lexer,
 * so `#@` inside strings and block scalars (a ConfigMap holding a ytt file) does not count.
 */
export function hasYttSyntax(text: string): boolean {
  // A cheap look first: an annotation-like `#@` after a space or at a line start; the lexer confirms it is a comment.
  if (!text.includes("#@") || !LOOKS_ANNOTATED.test(text)) return false;
  for (const token of new Lexer().lex(text)) {
    if (token.startsWith("#@") && ANNOTATION.test(token) && !DATA_VALUES.test(token)) return true;
  }
  return false;
}
