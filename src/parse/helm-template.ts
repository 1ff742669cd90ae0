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

/** An action that names Helm's objects or functions: `.Values`, `.Release`, `include`, `template`, `tpl`, `required`. */
const HELM_ACTION = /^\{\{-?\s*(?:\/\*[\s\S]*|[\s\S]*?(?:\.(?:Values|Release|Chart|Capabilities|Template|Files)\b|(?:^|[\s(|])(?:include|template|tpl|required)\s))/;
/** A `templates/` directory anywhere in the path: where Helm charts (and Ansible roles) keep templates. */
const TEMPLATES_DIR = /(?:^|\/)templates\//;

/**
 * The Go template actions of a text, `{{ … }}` (also `{{- … -}}` and comments over several lines), as [start, end)
 * offsets: each `{{` to the next `}}`, found by one pass (an unclosed `{{` ends the search).
 */
export function templateActions(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = text.indexOf("{{"); i >= 0; ) {
    const close = text.indexOf("}}", i + 2);
    if (close < 0) break;
    out.push([i, close + 2]);
    i = text.indexOf("{{", close + 2);
  }
  return out;
}

/**
 * Whether a template is a Helm chart's: it is in a `templates/` directory, or some action names Helm's objects or
 * functions (not a cookiecutter or other Go/Jinja-style `{{ }}` template).
 */
export function isHelmTemplate(path: string, text: string, actions: ReadonlyArray<readonly [number, number]>): boolean {
  return TEMPLATES_DIR.test(path) || actions.some(([a, b]) => HELM_ACTION.test(text.slice(a, b)));
}

/**
 * True when YAML that does not parse would parse with its Go template actions blanked out, and the actions are
 * Helm's (they name `.Values`, `.Release`, `include`, … or the file is in a `templates/` directory): the YAML errors
 * are the template's, as in `helm create`'s `name: "{{ include "app.fullname" . }}-test"`, where the quotes of the
 * action end the YAML string. Such a file is a template to render, not a broken manifest. Other broken files, and
 * ApplicationSets whose `{{ index .x "y" }}` breaks their own quoting (Argo CD cannot read those either), stay
 * parse errors. `firstError` is the offset of the parser's first error; the text is parsed again only when that error
 * stands inside a template action.
 */
export function brokenOnlyByTemplate(path: string, text: string, firstError: number, parses: (text: string) => boolean): boolean {
  const actions = templateActions(text);
  // Only when the parser's first error stands inside an action (`"{{ include "x` fails at `x`): otherwise the
  // actions did not break the YAML there, and the text is not parsed a second time.
  if (!actions.some(([a, b]) => firstError >= a && firstError < b)) return false;
  if (!isHelmTemplate(path, text, actions)) return false;
  let blanked = "";
  let at = 0;
  for (const [a, b] of actions) {
    blanked += text.slice(at, a) + text.slice(a, b).replace(/[^\n]/g, "x");
    at = b;
  }
  return parses(blanked + text.slice(at));
}

/**
 * The text with its Go template actions masked, offset for offset (same length, same lines), so that what is written
 * literally around them reads as YAML at its own lines and columns: a line that holds only actions (`{{- if .x }}`,
 * `{{ end }}`, `{{- toYaml .Values.y | nindent 4 }}`) and whitespace becomes spaces (a blank line); an action inside a
 * line (`name: {{ .Values.name }}`, `Replace={{ .r }}`) becomes underscores of its length, a plain string that matches
 * no literal a rule looks for. A line break inside an action is kept.
 */
export function maskTemplateActions(text: string): string {
  const actions = templateActions(text);
  if (actions.length === 0) return text;
  const out = text.split("");
  const inAction = new Uint8Array(text.length);
  for (const [a, b] of actions) inAction.fill(1, a, b);
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let actionOnly = false;
    let other = false;
    for (let i = start; i < end; i++) {
      if (inAction[i]) actionOnly = true;
      else if (text[i] !== " " && text[i] !== "\t" && text[i] !== "\r") other = true;
    }
    const fill = actionOnly && !other ? " " : "_";
    for (let i = start; i < end; i++) if (inAction[i]) out[i] = fill;
    start = end + 1;
  }
  return out.join("");
}
