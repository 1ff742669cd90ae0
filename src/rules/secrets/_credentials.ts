import { isPlainObject } from "../../parse/classify.js";
import type { Severity } from "../../core/types.js";
import { isBrowserBundledName } from "./_names.js";
import { isPlaceholder, looksFake } from "./_placeholders.js";
import { entropy } from "./_shape.js";
import { decodeBase64, isPublicJwtClaims } from "./_values.js";

/**
 * Known credential formats, found in raw file text (comments included). Patterns follow the public
 * definitions of gitleaks and secretlint, written anew here; each match is checked further (entropy,
 * sample/placeholder markers, structure) so that documentation stand-ins are not reported.
 *
 * Every pattern is linear in the text (issue 12): it may start only where the character before it cannot belong
 * to the token (a lookbehind over the token's own characters), so a run of token characters is tried from its
 * first character only, and every repetition is bounded by the longest real token. Pairs (AWS key id + secret)
 * and PEM blocks are matched in one forward pass, never by searching again per hit.
 */
export interface CredentialHit {
  /** Character offsets of the credential in the text. */
  start: number;
  end: number;
  /** What it is, e.g. "GitHub personal access token"; never contains the credential. */
  label: string;
  severity?: Severity;
  /**
   * A key its service issues for browser code too (a Google API key, restricted by referrer: a Firebase web app's
   * `apiKey`): public under a name compiled into a browser bundle (`VITE_FIREBASE_API_KEY`, see `isBrowserBundledName`).
   */
  browserKey?: boolean;
}

interface Detector {
  /** Cheap substring test before the regex runs. */
  keywords: readonly string[];
  re: RegExp;
  /** The label for a match, or null to drop it. */
  check(m: RegExpMatchArray): string | null;
  severity?: Severity;
  browserKey?: boolean;
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
    if (isPublicJwtClaims(p)) return null; // Supabase's `anon` key: public by design (its `service_role` key is not)
    if (p.iss === "kubernetes/serviceaccount" || typeof p["kubernetes.io"] === "object") return "Kubernetes service account token (signed JWT)";
  }
  return "signed JSON Web Token";
}

/** Longest PEM body read for one key (an RSA 16384-bit key is about 12 KB). */
const PEM_MAX_BODY = 64_000;
const PEM_TYPE = "((?:[A-Z0-9]{1,16} ){0,4}PRIVATE KEY(?: BLOCK)?)";
const PEM_BEGIN = new RegExp(`-----BEGIN ${PEM_TYPE}-----`, "g");
const PEM_END = new RegExp(`-----END ${PEM_TYPE}-----`, "g");
const PEM_HEADER = /^\s*[A-Za-z-]{1,64}:/;

/**
 * PEM private keys: a BEGIN line, the next END line of the same type (no other BEGIN in between), and a base64 body
 * of real length. BEGIN and END markers are each found in one pass over the text and paired in order.
 */
export function pemHits(text: string): CredentialHit[] {
  if (!text.includes("PRIVATE KEY")) return [];
  const begins = [...text.matchAll(PEM_BEGIN)];
  if (begins.length === 0) return [];
  const ends = new Map<string, number[]>();
  for (const m of text.matchAll(PEM_END)) {
    const type = m[1] ?? "";
    let list = ends.get(type);
    if (!list) ends.set(type, (list = []));
    list.push(m.index ?? 0);
  }
  const cursor = new Map<string, number>();
  const out: CredentialHit[] = [];
  begins.forEach((m, i) => {
    const type = m[1] ?? "";
    const start = m.index ?? 0;
    const bodyStart = start + m[0].length;
    const list = ends.get(type) ?? [];
    let k = cursor.get(type) ?? 0;
    while (k < list.length && list[k]! < bodyStart) k++;
    cursor.set(type, k);
    const endAt = list[k];
    const nextBegin = begins[i + 1]?.index ?? Infinity;
    if (endAt === undefined || endAt > nextBegin || endAt - bodyStart > PEM_MAX_BODY) return;
    const hit = pemHit(type, text.slice(bodyStart, endAt));
    if (hit) out.push({ ...hit, start, end: endAt + `-----END ${type}-----`.length });
  });
  return out;
}

/** Judges one PEM body as written in YAML: indentation, comment markers, quotes, `\n` escapes and RFC 1421 headers removed. */
function pemHit(type: string, rawBody: string): Omit<CredentialHit, "start" | "end"> | null {
  // A key left in comment lines (`# MIIEvQ…`) is committed all the same: the comment markers go with the indentation.
  const lines = rawBody.replace(/\\n/g, "\n").split("\n").map((l) => l.replace(/^\s*#+/, ""));
  const headers = lines.filter((l) => PEM_HEADER.test(l));
  const body = lines
    .filter((l) => !PEM_HEADER.test(l))
    .join("")
    .replace(/[\s"'|>-]/g, "");
  if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body) || entropy(body) < 4 || /x{6,}|A{16,}/i.test(body)) return null;
  const encrypted = type.startsWith("ENCRYPTED") || headers.some((h) => /Proc-Type:.*ENCRYPTED/.test(h));
  const kind = type.replace(/ ?PRIVATE KEY( BLOCK)?$/, "").trim();
  const what = kind === "" || kind === "ENCRYPTED" ? "" : `${kind === "OPENSSH" ? "OpenSSH" : kind} `;
  const label = kind === "PGP" ? "PGP private key block" : `${what}private key (PEM)`;
  return { label: encrypted ? `passphrase-encrypted ${label}` : label, severity: encrypted ? "high" : undefined };
}

/** The label, unless the token's body (the regex's first group) is a documentation stand-in (see `looksFake`). */
function unlessFake(label: string): Detector["check"] {
  return (m) => (looksFake(m[1] ?? "") ? null : label);
}

const DETECTORS: readonly Detector[] = [
  {
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    re: /(?<![A-Za-z0-9_])(gh[pousr])_([A-Za-z0-9]{36,251})(?![A-Za-z0-9_])/g,
    check: (m) => (looksFake(m[2] ?? "") ? null : (GITHUB_KINDS[m[1] ?? ""] ?? null)),
  },
  {
    // GitHub App installation token in the newer stateless `ghs_<id>_<JWT>` form.
    keywords: ["ghs_"],
    re: /(?<![A-Za-z0-9_.-])ghs_\d{1,20}_(eyJ[A-Za-z0-9_-]{10,8192}\.ey[A-Za-z0-9_-]{10,16384}\.[A-Za-z0-9_-]{16,2048})(?![A-Za-z0-9_.-])/g,
    check: (m) => (jwtLabel([m[1] ?? ""]) === null ? null : "GitHub App installation token"),
  },
  {
    keywords: ["github_pat_"],
    re: /(?<![A-Za-z0-9_])github_pat_([A-Za-z0-9_]{70,251})(?![A-Za-z0-9_])/g,
    check: unlessFake("GitHub fine-grained personal access token"),
  },
  {
    keywords: ["glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "gloas-"],
    re: /(?<![A-Za-z0-9_.-])(glpat|gldt|glrt|glptt|glcbt|gloas)-([A-Za-z0-9_.-]{20,300})(?![A-Za-z0-9_.-])/g,
    check: (m) => (looksFake(m[2] ?? "") ? null : (GITLAB_KINDS[m[1] ?? ""] ?? null)),
  },
  {
    keywords: ["xox"],
    // The last `-` segment holds the secret: a token cut short before a mask (`...-####`, `...-****`) is a stand-in.
    re: /(?<![A-Za-z0-9_-])xox([abeoprs])-([A-Za-z0-9-]{10,250})(?![A-Za-z0-9#*•-])/g,
    check: (m) => {
      const body = m[2] ?? "";
      return /\d{8,}/.test(body) && /(^|-)[A-Za-z0-9]{8,}$/.test(body) && !looksFake(body) ? "Slack token" : null;
    },
  },
  {
    keywords: ["xapp-"],
    re: /(?<![A-Za-z0-9_-])xapp-\d-[A-Z0-9]{8,64}-\d{8,32}-[a-z0-9]{20,128}/gi,
    check: (m) => (looksFake(m[0]) ? null : "Slack app-level token"),
  },
  {
    keywords: ["hooks.slack.com"],
    re: /https?:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/([A-Za-z0-9/_+-]{20,512})/g,
    check: (m) => {
      const parts = (m[2] ?? "").split("/").filter((p) => p !== "");
      const secret = parts[parts.length - 1] ?? "";
      if (m[1] === "services" && !/^T[A-Z0-9]{6,}$/.test(parts[0] ?? "")) return null;
      return secret.length >= 16 && !looksFake(secret) ? "Slack incoming webhook URL" : null;
    },
  },
  {
    keywords: ["sk_live_", "rk_live_"],
    re: /(?<![A-Za-z0-9_])([sr]k)_live_([A-Za-z0-9]{20,247})(?![A-Za-z0-9])/g,
    check: (m) => (looksFake(m[2] ?? "") ? null : m[1] === "rk" ? "Stripe live restricted key" : "Stripe live secret key"),
  },
  {
    keywords: ["AIza"],
    re: /(?<![0-9A-Za-z_-])AIza([0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    check: unlessFake("Google API key"),
    browserKey: true,
  },
  {
    keywords: ["npm_"],
    re: /(?<![A-Za-z0-9_])npm_([A-Za-z0-9]{36})(?![A-Za-z0-9])/g,
    check: unlessFake("npm access token"),
  },
  {
    keywords: ["SG."],
    re: /(?<![A-Za-z0-9_-])SG\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    check: (m) => (looksFake(`${m[1] ?? ""}${m[2] ?? ""}`) ? null : "SendGrid API key"),
  },
  // Service tokens whose prefix names the service (public formats, as gitleaks and GitHub secret scanning define
  // them); the body must look generated (`looksFake`), so documentation stand-ins are not reported.
  {
    keywords: ["sk-proj-", "sk-svcacct-", "sk-admin-", "T3BlbkFJ"],
    re: /(?<![A-Za-z0-9_-])sk-(?:(proj|svcacct|admin)-([A-Za-z0-9_-]{40,250})|([A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}))(?![A-Za-z0-9_-])/g,
    check: (m) => (looksFake(m[2] ?? m[3] ?? "") ? null : "OpenAI API key"),
  },
  {
    keywords: ["sk-ant-"],
    re: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|ort)\d{2}-([A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/g,
    check: unlessFake("Anthropic API key"),
  },
  {
    keywords: ["hf_"],
    re: /(?<![A-Za-z0-9_])hf_([A-Za-z0-9]{34})(?![A-Za-z0-9_])/g,
    check: unlessFake("Hugging Face access token"),
  },
  {
    keywords: ["hvs.", "hvb."],
    re: /(?<![A-Za-z0-9_.-])hv([sb])\.([A-Za-z0-9_-]{90,400})(?![A-Za-z0-9_.-])/g,
    check: (m) => (looksFake(m[2] ?? "") ? null : m[1] === "s" ? "HashiCorp Vault service token" : "HashiCorp Vault batch token"),
  },
  {
    keywords: ["tskey-"],
    re: /(?<![A-Za-z0-9_-])tskey-(?:auth|api|client|scim|webhook)-([A-Za-z0-9]{6,40}-[A-Za-z0-9]{16,80})(?![A-Za-z0-9_-])/g,
    check: unlessFake("Tailscale key"),
  },
  {
    keywords: ["GOCSPX-"],
    re: /(?<![A-Za-z0-9_-])GOCSPX-([A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/g,
    check: unlessFake("Google OAuth client secret"),
  },
  {
    keywords: ["sntrys_", "sntryu_"],
    re: /(?<![A-Za-z0-9_])sntry(?:s_([A-Za-z0-9_+/=-]{40,600})|u_([a-f0-9]{64}))(?![A-Za-z0-9_+/=-])/g,
    check: (m) => (looksFake(m[1] ?? m[2] ?? "") ? null : "Sentry auth token"),
  },
  {
    keywords: ["glsa_"],
    re: /(?<![A-Za-z0-9_])glsa_([A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![A-Za-z0-9_])/g,
    check: unlessFake("Grafana service account token"),
  },
  {
    keywords: ["dop_v1_", "doo_v1_", "dor_v1_"],
    re: /(?<![A-Za-z0-9_])do[por]_v1_([a-f0-9]{64})(?![A-Za-z0-9_])/g,
    check: unlessFake("DigitalOcean token"),
  },
  {
    keywords: ["pypi-AgEIcHlwaS5vcmc"],
    re: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc([A-Za-z0-9_-]{50,400})(?![A-Za-z0-9_-])/g,
    check: unlessFake("PyPI API token"),
  },
  {
    keywords: ["dp.pt.", "dp.st.", "dp.sa.", "dp.ct."],
    re: /(?<![A-Za-z0-9_.-])dp\.(?:pt|st|sa|ct)\.([A-Za-z0-9_-]{40,64})(?![A-Za-z0-9_.-])/g,
    check: unlessFake("Doppler token"),
  },
  {
    keywords: ["ATATT3"],
    re: /(?<![A-Za-z0-9_-])ATATT3([A-Za-z0-9_=-]{100,300})(?![A-Za-z0-9_=-])/g,
    check: unlessFake("Atlassian API token"),
  },
  {
    keywords: ["NRAK-"],
    re: /(?<![A-Za-z0-9_-])NRAK-([A-Z0-9]{27})(?![A-Za-z0-9_-])/g,
    check: unlessFake("New Relic user API key"),
  },
  {
    keywords: ["dapi"],
    re: /(?<![A-Za-z0-9_-])dapi([a-f0-9]{32})(?:-\d)?(?![A-Za-z0-9_-])/g,
    check: unlessFake("Databricks access token"),
  },
  {
    // OpenVPN's `tls-auth` / `tls-crypt` key (`openvpn --genkey`): 2048 random bits as 16 lines of 32 hex digits. The
    // body is read line by line (indentation of a YAML block scalar allowed), so each BEGIN is matched once.
    keywords: ["-----BEGIN OpenVPN Static key V1-----"],
    re: /-----BEGIN OpenVPN Static key V1-----((?:[ \t]*\r?\n[ \t]*[0-9a-fA-F]{32}){16})[ \t]*\r?\n[ \t]*-----END OpenVPN Static key V1-----/g,
    check: (m) => (entropy((m[1] ?? "").replace(/\s+/g, "")) < 3 ? null : "OpenVPN static key"),
  },
  {
    // Telegram Bot API token (BotFather): the bot's numeric id, `:`, 35 characters whose first two are nearly always
    // `AA`. The digits before it may not continue a longer number or another token (`…:123456789:AA…`).
    keywords: [":AA"],
    re: /(?<![A-Za-z0-9_:-])\d{8,10}:(AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/g,
    // Also a stand-in written after the `AA` (`AAyour-telegram-bot-token-goes-here`): the body is free text of 35.
    check: (m) => (looksFake(m[1] ?? "") || isPlaceholder((m[1] ?? "").slice(2)) ? null : "Telegram bot token"),
  },
  {
    keywords: ["AGE-SECRET-KEY-1"],
    re: /(?<![A-Za-z0-9_-])AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}(?![A-Za-z0-9_])/g,
    check: (m) => (looksFake(m[0].slice(15)) ? null : "age secret key (it decrypts SOPS files)"),
  },
];

const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
// `=` may come before (`AWS_SECRET_ACCESS_KEY=...`) but not after (base64 padding would make it longer than a key).
const AWS_SECRET = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** How far (in lines, either way) the secret access key may be from its access key id. */
const AWS_PAIR_LINES = 10;

/** Line numbers of ascending offsets, counted in one forward pass. */
function linesOf(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 0;
  let nl = text.indexOf("\n");
  for (const offset of offsets) {
    while (nl >= 0 && nl < offset) {
      line++;
      nl = text.indexOf("\n", nl + 1);
    }
    out.push(line);
  }
  return out;
}

/**
 * AWS access key id with a secret access key within ten lines of it; reported at the secret, the part that signs
 * requests. Ids and secret candidates are each found in one pass; each id takes the first unused secret in its window
 * (both lists are in text order, so the windows only move forward).
 */
function awsHits(text: string): CredentialHit[] {
  if (!text.includes("AKIA") && !text.includes("ASIA")) return [];
  const ids = [...text.matchAll(AWS_KEY_ID)].filter((m) => !looksFake(m[0].slice(4), 2.5)).map((m) => m.index ?? 0);
  if (ids.length === 0) return [];
  const secrets = [...text.matchAll(AWS_SECRET)]
    .filter((s) => /[A-Z]/.test(s[0]) && /[a-z]/.test(s[0]) && /[0-9/+]/.test(s[0]) && !looksFake(s[0], 4))
    .map((s) => s.index ?? 0);
  const idLines = linesOf(text, ids);
  const secretLines = linesOf(text, secrets);
  const out: CredentialHit[] = [];
  let next = 0;
  for (const line of idLines) {
    while (next < secrets.length && secretLines[next]! < line - AWS_PAIR_LINES) next++;
    if (next < secrets.length && secretLines[next]! <= line + AWS_PAIR_LINES) {
      const start = secrets[next++]!;
      out.push({ start, end: start + 40, label: "AWS secret access key (with its access key id)" });
    }
  }
  return out;
}

/** Runs of base64url characters and dots long enough for a JWT; each run is matched from its first character only. */
const JWT_RUN = /(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{43,}/g;
/** Length bounds of a JWT's header, payload and signature. */
const SEGMENT_MIN = [13, 12, 16] as const;
const SEGMENT_MAX = [8192, 16384, 2048] as const;

/**
 * Signed JWTs: three dot-separated base64url segments, the header starting `eyJ` (at the start of its segment or
 * after `_`, as in `x_eyJ…`), the payload starting `ey`. Read run by run and segment by segment, so `eyJ_eyJ_…`
 * costs one pass instead of one scan per `eyJ`.
 */
function jwtHits(text: string): CredentialHit[] {
  if (!text.includes("eyJ")) return [];
  const out: CredentialHit[] = [];
  for (const run of text.matchAll(JWT_RUN)) {
    if (!run[0].includes(".ey")) continue;
    const segments = run[0].split(".");
    let offset = run.index ?? 0; // where segments[i] starts in the text
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const at = seg.startsWith("eyJ") ? 0 : seg.indexOf("_eyJ") + 1;
      const parts = i + 2 < segments.length && (at > 0 || seg.startsWith("eyJ")) ? [seg.slice(at), segments[i + 1]!, segments[i + 2]!] : null;
      const shaped = parts !== null && parts[1]!.startsWith("ey") && parts.every((p, k) => p.length >= SEGMENT_MIN[k]! && p.length <= SEGMENT_MAX[k]!);
      const label = shaped ? jwtLabel([parts.join(".")]) : null;
      if (parts !== null && label !== null) {
        const start = offset + at;
        const jwt = parts.join(".");
        out.push({ start, end: start + jwt.length, label });
        offset = start + jwt.length + 1;
        i += 2;
      } else offset += seg.length + 1;
    }
  }
  return out;
}

/** Any detector's keyword: one search of the text before the detectors' own (most texts hold none). */
const ANY_KEYWORD = new RegExp(DETECTORS.flatMap((d) => d.keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("|"));

/** Every known credential in the text, in order of position. */
export function findCredentials(text: string): CredentialHit[] {
  const out: CredentialHit[] = [...awsHits(text), ...pemHits(text), ...jwtHits(text)];
  const keyword = ANY_KEYWORD.test(text);
  for (const d of keyword ? DETECTORS : []) {
    if (!d.keywords.some((k) => text.includes(k))) continue;
    for (const m of text.matchAll(d.re)) {
      const label = d.check(m);
      if (label === null) continue;
      const start = m.index ?? 0;
      out.push({ start, end: start + m[0].length, label, severity: d.severity, ...(d.browserKey ? { browserKey: true } : {}) });
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

/**
 * The hits that are credentials under `name` (the key or variable the text is the value of): a browser key (see
 * `CredentialHit.browserKey`) under a name compiled into a browser bundle is public by design; every other format is
 * a credential under any name (`VITE_STRIPE_KEY: sk_live_…` leaks all the same).
 */
export function credentialsUnder(name: string | undefined, hits: readonly CredentialHit[]): CredentialHit[] {
  return name !== undefined && isBrowserBundledName(name) ? hits.filter((h) => h.browserKey !== true) : [...hits];
}

/** "a" or "an" before a label ("an AWS ...", "an RSA ...", "an npm ...", "a GitHub ..."). */
export function article(label: string): string {
  return /^([aeiou]|RSA |EC |npm |SSH )/i.test(label) ? "an" : "a";
}
