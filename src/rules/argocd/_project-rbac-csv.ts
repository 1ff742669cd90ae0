/** Argo CD RBAC policy lines (Casbin CSV): `p, <subject>, <resource>, <action>, <object>, <effect>` and `g, <subject>, <role>`. */

import { globMatch } from "./_project-glob.js";

export interface PolicyLine {
  type: "p" | "g";
  /** The fields after the line type, unquoted and trimmed. */
  fields: string[];
  /** 0-based index of the line inside the policy text. */
  line: number;
}

export interface Permission {
  subject: string;
  resource: string;
  action: string;
  object: string;
  /** Anything but an explicit `deny` counts as allow. */
  deny: boolean;
  line: number;
}

/**
 * Splits one policy line as Argo CD does (util/rbac `loadPolicyLine`: Go's encoding/csv with `TrimLeadingSpace`): a
 * field whose first non-blank character is a double quote is quoted (`"a, b"`, `""` for a quote); every other
 * character, a single quote included, is part of the field (`'*'` is a three-character group name, not `*`).
 * Tolerant where Go rejects the line: a bare `"` inside a field is kept as a character, and text after a closing
 * quote is added to the field. Trailing blanks of an unquoted field are dropped (Go keeps them), so a field reads as
 * written.
 */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    let field = "";
    if (line[i] === '"') {
      const quoted = readQuoted(line, i + 1);
      field = quoted.text;
      i = quoted.end;
    }
    const comma = line.indexOf(",", i);
    const end = comma < 0 ? line.length : comma;
    out.push(field + line.slice(i, end).trimEnd());
    if (comma < 0) return out;
    i = comma + 1;
  }
}

/** A double-quoted field's text from just after its opening quote: up to the closing quote, `""` read as `"`. */
function readQuoted(line: string, from: number): { text: string; end: number } {
  let text = "";
  let i = from;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch !== '"') {
      text += ch;
      i++;
    } else if (line[i + 1] === '"') {
      text += '"';
      i += 2;
    } else return { text, end: i + 1 };
  }
  return { text, end: i };
}

/** Parses policy text tolerantly: blank lines, `#` comments and unknown line types are skipped. */
export function parsePolicyLines(text: string): PolicyLine[] {
  const out: PolicyLine[] = [];
  text.split(/\r?\n/).forEach((raw, line) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const [type, ...fields] = splitCsv(trimmed);
    const t = type?.toLowerCase();
    if (t === "p" || t === "g") out.push({ type: t, fields, line });
  });
  return out;
}

export function permissions(lines: readonly PolicyLine[]): Permission[] {
  return lines
    .filter((l) => l.type === "p" && l.fields.length >= 4)
    .map((l) => {
      const [subject, resource, action, object, effect] = l.fields as [string, string, string, string, string | undefined];
      return { subject, resource, action, object, deny: (effect ?? "").toLowerCase() === "deny", line: l.line };
    });
}

/** Argo CD matches resource, action and object of a policy as globs. */
export function grants(pattern: string, value: string): boolean {
  return globMatch(pattern, value);
}
