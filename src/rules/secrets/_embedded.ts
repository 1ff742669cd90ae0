import { isSecretName, isSecretSetting } from "./_names.js";

/**
 * Config files embedded in a multi-line string (a ConfigMap's `application.properties`, `dex.config`, an
 * `.env` block): `key: value`, `key = value`, `"key": "value"` and `export KEY=value` lines whose key looks
 * secret and whose value is a literal.
 */
export interface EmbeddedSetting {
  /** The setting's name as written (a key, never the value). */
  key: string;
  /** The line as written, trimmed, to find it in the source. */
  line: string;
  /** How many earlier lines of the block are identical to this one. */
  occurrence: number;
}

const PREFILTER = /pass|secret|token|key|credential|pwd/i;
const SETTING = /^\s*(?:-\s+)?(?:export\s+)?(["']?)([A-Za-z_][\w.-]*)\1\s*[:=]\s*(.*?)\s*[,;]?\s*$/;
const MAX_LINE = 500;

/** Strips matching quotes; null for values that are not a plain literal (objects, code, shell expansions). */
function literalOf(raw: string): string | null {
  let v = raw;
  const quoted = /^(["'])(.*)\1$/.exec(v);
  if (quoted) v = quoted[2] ?? "";
  else {
    v = v.replace(/\s+#.*$/, ""); // trailing YAML / shell / INI comment
    if (!/^[^\s()[\]{}<>;,'"`|&*!]+$/.test(v)) return null; // code, flow collections, block indicators, anchors, tags
    if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(v)) return null; // property access: `process.env.DB_PASSWORD`
  }
  if (/[$`]|%\(|%\{|#\{/.test(v)) return null; // shell, Python, Ruby interpolation
  return v;
}

/** Secret-looking settings with a literal value in a multi-line string; empty for single-line strings. */
export function embeddedSecrets(text: string): EmbeddedSetting[] {
  if (!text.includes("\n") || !PREFILTER.test(text)) return [];
  const out: EmbeddedSetting[] = [];
  const seen = new Map<string, number>();
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    const n = seen.get(line) ?? 0;
    seen.set(line, n + 1);
    if (line.length > MAX_LINE || !PREFILTER.test(line)) continue;
    const m = SETTING.exec(rawLine);
    if (!m) continue;
    const key = m[2] ?? "";
    if (!isSecretName(key)) continue;
    const value = literalOf(m[3] ?? "");
    if (value === null || !isSecretSetting(key, value)) continue;
    out.push({ key, line, occurrence: n });
  }
  return out;
}
