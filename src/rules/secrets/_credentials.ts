import { isPlainObject } from "../../parse/classify.js";
import type { Severity } from "../../core/types.js";
import { decodeBase64, entropy, looksFake } from "./_values.js";

/**
 * Known credential formats, found in raw file text (comments included). Patterns follow the public
 * definitions of gitleaks and secretlint, written anew here; each match is checked further (entropy,
 * sample/placeholder markers, structure) so that documentation stand-ins are not reported.
 */
export interface CredentialHit {
  /** Character offsets of the credential in the text. */
  start: number;
  end: number;
  /** What it is, e.g. "GitHub personal access token"; never contains the credential. */
  label: string;
  severity?: Severity;
}

interface Detector {
  /** Cheap substring test before the regex runs. */
  keywords: readonly string[];
  re: RegExp;
  /** The label for a match, or null to drop it. */
  check(m: RegExpMatchArray): string | null;
  severity?: Severity;
}

const GITHUB_KINDS: Record<string, string> = {
  ghp: "GitHub personal access token",
  gho: "GitHub OAuth access token",
  ghu: "GitHub user-to-server token",
  ghs: "GitHub server-to-server (installation) token",
  ghr: "GitHub refresh token",
};

const GITLAB_KINDS: Record<string, string> = {
  glpat: "GitLab personal access token",
  gldt: "GitLab deploy token",
  glrt: "GitLab runner authentication token",
  glptt: "GitLab pipeline trigger token",
  glcbt: "GitLab CI/CD job token",
  gloas: "GitLab OAuth application secret",
};

function decodeJson(segment: string): unknown {
  const text = decodeBase64(segment);
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A JWT with a real signature: the header is JSON with an `alg` other than `none`. */
function jwtLabel(m: readonly string[]): string | null {
  const [header = "", payload = "", signature = ""] = m[0].split(".");
  const h = decodeJson(header);
  if (!isPlainObject(h) || typeof h.alg !== "string" || h.alg.toLowerCase() === "none") return null;
  if (looksFake(signature)) return null;
  const p = decodeJson(payload);
  if (isPlainObject(p)) {
    if (p.sub === "1234567890" || p.name === "John Doe") return null; // the jwt.io sample token
    if (p.iss === "kubernetes/serviceaccount" || typeof p["kubernetes.io"] === "object") return "Kubernetes service account token (signed JWT)";
  }
  return "signed JSON Web Token";
}

/** PEM private key: a BEGIN line, a base64 body of real length, and the matching END line. */
function pemBodyEnd(text: string, from: number, type: string): { end: number; body: string } | null {
  const endMarker = `-----END ${type}-----`;
  const endAt = text.indexOf(endMarker, from);
  if (endAt >= 0 && endAt - from < 64_000) return { end: endAt + endMarker.length, body: text.slice(from, endAt) };
  return null;
}

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;

function pemHits(text: string): CredentialHit[] {
  if (!text.includes("PRIVATE KEY")) return [];
  const out: CredentialHit[] = [];
  for (const m of text.matchAll(PEM_BEGIN)) {
    const type = m[1] ?? "";
    const start = m.index ?? 0;
    const found = pemBodyEnd(text, start + m[0].length, type);
    if (!found) continue;
    // The body as written in YAML: indentation, quotes, `\n` escapes and RFC 1421 headers removed.
    const lines = found.body.replace(/\\n/g, "\n").split("\n");
    const headers = lines.filter((l) => /^\s*[A-Za-z-]+:/.test(l));
    const body = lines
      .filter((l) => !/^\s*[A-Za-z-]+:/.test(l))
      .join("")
      .replace(/[\s"'|>-]/g, "");
    if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body) || entropy(body) < 4 || /x{6,}|A{16,}/i.test(body)) continue;
    const encrypted = type.startsWith("ENCRYPTED") || headers.some((h) => /Proc-Type:.*ENCRYPTED/.test(h));
    const kind = type.replace(/ ?PRIVATE KEY( BLOCK)?$/, "").trim();
    const what = kind === "" || kind === "ENCRYPTED" ? "" : `${kind === "OPENSSH" ? "OpenSSH" : kind} `;
    const label = kind === "PGP" ? "PGP private key block" : `${what}private key (PEM)`;
    out.push({
      start,
      end: found.end,
      label: encrypted ? `passphrase-encrypted ${label}` : label,
      severity: encrypted ? "high" : undefined,
    });
  }
  return out;
}

const DETECTORS: readonly Detector[] = [
  {
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    re: /\b(gh[pousr])_([A-Za-z0-9]{36,251})(?![A-Za-z0-9_])/g,
    check: (m) => (looksFake(m[2] ?? "") ? null : (GITHUB_KINDS[m[1] ?? ""] ?? null)),
  },
  {
    // GitHub App installation token in the newer stateless `ghs_<id>_<JWT>` form.
    keywords: ["ghs_"],
    re: /\bghs_\d+_(eyJ[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    check: (m) => (jwtLabel([m[1] ?? ""]) === null ? null : "GitHub App installation token"),
  },
  {
    keywords: ["github_pat_"],
    re: /\bgithub_pat_([A-Za-z0-9_]{70,251})(?![A-Za-z0-9_])/g,
    check: (m) => (looksFake(m[1] ?? "") ? null : "GitHub fine-grained personal access token"),
  },
  {
    keywords: ["glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "gloas-"],
    re: /\b(glpat|gldt|glrt|glptt|glcbt|gloas)-([A-Za-z0-9_.-]{20,300})(?![A-Za-z0-9_.-])/g,
    check: (m) => (looksFake(m[2] ?? "") ? null : (GITLAB_KINDS[m[1] ?? ""] ?? null)),
  },
  {
    keywords: ["xox"],
    // The last `-` segment holds the secret: a token cut short before a mask (`...-####`, `...-****`) is a stand-in.
    re: /\bxox([abeoprs])-([A-Za-z0-9-]{10,250})(?![A-Za-z0-9#*•-])/g,
    check: (m) => {
      const body = m[2] ?? "";
      return /\d{8,}/.test(body) && /(^|-)[A-Za-z0-9]{8,}$/.test(body) && !looksFake(body) ? "Slack token" : null;
    },
  },
  {
    keywords: ["xapp-"],
    re: /\bxapp-\d-[A-Z0-9]{8,}-\d{8,}-[a-z0-9]{20,}/gi,
    check: (m) => (looksFake(m[0]) ? null : "Slack app-level token"),
  },
  {
    keywords: ["hooks.slack.com"],
    re: /https?:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/([A-Za-z0-9/_+-]{20,})/g,
    check: (m) => {
      const parts = (m[2] ?? "").split("/").filter((p) => p !== "");
      const secret = parts[parts.length - 1] ?? "";
      if (m[1] === "services" && !/^T[A-Z0-9]{6,}$/.test(parts[0] ?? "")) return null;
      return secret.length >= 16 && !looksFake(secret) ? "Slack incoming webhook URL" : null;
    },
  },
  {
    keywords: ["sk_live_", "rk_live_"],
    re: /\b([sr]k)_live_([A-Za-z0-9]{20,247})(?![A-Za-z0-9])/g,
    check: (m) => (looksFake(m[2] ?? "") ? null : m[1] === "rk" ? "Stripe live restricted key" : "Stripe live secret key"),
  },
  {
    keywords: ["AIza"],
    re: /\bAIza([0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    check: (m) => (looksFake(m[1] ?? "") ? null : "Google API key"),
  },
  {
    keywords: ["npm_"],
    re: /\bnpm_([A-Za-z0-9]{36})(?![A-Za-z0-9])/g,
    check: (m) => (looksFake(m[1] ?? "") ? null : "npm access token"),
  },
  {
    keywords: ["AGE-SECRET-KEY-1"],
    re: /\bAGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}\b/g,
    check: (m) => (looksFake(m[0].slice(15)) ? null : "age secret key (it decrypts SOPS files)"),
  },
  {
    keywords: ["eyJ"],
    // Not `\b`: a JWT glued after `_` (`ghs_1_eyJ...`) is still a JWT.
    re: /(?<![A-Za-z0-9-])eyJ[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g,
    check: jwtLabel,
  },
];

const AWS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;
const AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** How far (in lines, either way) the secret access key may be from its access key id. */
const AWS_PAIR_LINES = 10;

function lineWindow(text: string, at: number, lines: number): [number, number] {
  let a = at;
  for (let n = 0; n <= lines && a > 0; n++) a = text.lastIndexOf("\n", a - 1);
  let b = at;
  for (let n = 0; n <= lines && b >= 0 && b < text.length; n++) b = text.indexOf("\n", b + 1);
  return [Math.max(0, a), b < 0 ? text.length : b];
}

/** AWS access key id with a secret access key near it; reported at the secret, the part that signs requests. */
function awsHits(text: string): CredentialHit[] {
  if (!text.includes("AKIA") && !text.includes("ASIA")) return [];
  const out: CredentialHit[] = [];
  const used = new Set<number>();
  for (const id of text.matchAll(AWS_KEY_ID)) {
    if (looksFake(id[0].slice(4), 2.5)) continue;
    const [from, to] = lineWindow(text, id.index ?? 0, AWS_PAIR_LINES);
    const window = text.slice(from, to);
    for (const s of window.matchAll(AWS_SECRET)) {
      const secret = s[0];
      const start = from + (s.index ?? 0);
      if (used.has(start) || !/[A-Z]/.test(secret) || !/[a-z]/.test(secret) || !/[0-9/+]/.test(secret) || looksFake(secret, 4)) continue;
      used.add(start);
      out.push({ start, end: start + secret.length, label: "AWS secret access key (with its access key id)" });
      break;
    }
  }
  return out;
}

/** Every known credential in the text, in order of position. */
export function findCredentials(text: string): CredentialHit[] {
  const out: CredentialHit[] = [...awsHits(text), ...pemHits(text)];
  for (const d of DETECTORS) {
    if (!d.keywords.some((k) => text.includes(k))) continue;
    for (const m of text.matchAll(d.re)) {
      const label = d.check(m);
      if (label === null) continue;
      const start = m.index ?? 0;
      out.push({ start, end: start + m[0].length, label, severity: d.severity });
    }
  }
  // One finding per credential: a hit inside another (the JWT of a `ghs_<id>_<JWT>` token) is dropped.
  // Sorted by start, longer first: a hit is inside an earlier one exactly when it ends before the furthest end so far.
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  let furthest = -1;
  return out.filter((h) => {
    if (h.end <= furthest) return false;
    furthest = h.end;
    return true;
  });
}
