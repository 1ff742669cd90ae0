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

/** Splits one CSV line, honouring double quotes (`"a, b"`, `""` for a quote). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === "") {
      quoted = true;
      cur = "";
    } else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => unquote(f.trim()));
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"')))) return s.slice(1, -1).trim();
  return s;
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
