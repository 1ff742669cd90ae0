/**
 * Bad input for the fuzz suites: real documents (../shared/corpus, the rule and Kustomize fixtures) mutated by
 * bytes, lines, indentation, tokens and anchors; hostile shapes (deep nesting, alias bombs, giant scalars, binary,
 * invalid UTF-8, many documents); pathological near-misses for every secrets pattern; regular expressions a pull
 * request controls (SOPS `encrypted_regex`, Kustomize patch targets and image names) with inputs that make a
 * backtracking engine explode; and planted secret tokens that must never come back out.
 */
import fc from "fast-check";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

export type Content = string | Uint8Array;

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (keep(p)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const isYaml = (p: string) => /\.ya?ml$/.test(p);
export const CORPUS = resolve(process.cwd(), "../shared/corpus");
const FIXTURE_DIRS = [resolve(process.cwd(), "src/rules"), resolve(process.cwd(), "test/kustomize/fixtures")];

/** Every YAML document of the corpus and of the fixtures, as text. */
export const SEEDS: ReadonlyArray<{ path: string; text: string }> = [CORPUS, ...FIXTURE_DIRS].flatMap((root) =>
  filesUnder(root, (p) => isYaml(p) && p.includes(root === CORPUS ? "" : "fixtures")).map((p) => ({ path: relative(root, p), text: readFileSync(p, "utf8") })),
);

/** The corpus's projects as file trees (paths relative to the project), with their kustomization directories. */
export const PROJECTS: ReadonlyArray<{ name: string; files: Record<string, string>; roots: string[] }> = readdirSync(CORPUS)
  .filter((name) => statSync(join(CORPUS, name)).isDirectory())
  .map((name) => {
    const dir = join(CORPUS, name);
    const files: Record<string, string> = {};
    for (const p of filesUnder(dir, (f) => !/\.(png|jpg|gif|ico|tgz)$/.test(f))) files[relative(dir, p)] = readFileSync(p, "utf8");
    const roots = Object.keys(files)
      .filter((p) => /(^|\/)kustomization\.ya?ml$/.test(p))
      .map((p) => p.replace(/\/?kustomization\.ya?ml$/, ""));
    return { name, files, roots };
  })
  .filter((p) => p.roots.length > 0);

// ---------------------------------------------------------------------------------------------------------------
// Mutations of a document.

/** Syntax that breaks YAML, changes its structure, or means something to Kustomize, Helm or the engine. */
const TOKENS = [
  "- ", ": ", "? ", "{", "}", "[", "]", "|", ">-", "|+2", "!!binary ", "!!str ", "!!int ", "!!map ", "!custom ", "%YAML 1.1", "%TAG ! tag:x,2024:", "---", "...",
  "&a ", "*a", "<<: *a", "'", '"', "#", "\t", "\\", "\r", "\u00a0", "\u2028", "\ufeff", "{{ .Values.x }}", "${VAR}", "$patch: delete", "$patch: replace", "null", "~", "0x1F", "1e999", ".nan",
  "apiVersion: v1", "kind: Secret", "kind: Kustomization", "kind: AppProject", "metadata: {name: x}", "resources: [../../../../etc]", "resources:\n- ../", "components: [.]",
  "namePrefix: a-", "namespace: kube-system", "images: [{name: '*', newTag: x}]", "patches: [{path: nope.yaml}]", "patches: [{patch: '[', target: {kind: '('}}]",
  "configMapGenerator: [{name: c, literals: ['=', 'a=b=c']}]", "secretGenerator: [{name: s, envs: [../../.env]}]", "helmCharts: [{name: x}]", "replicas: [{name: web, count: -1}]",
  "securityContext: {privileged: true}", "hostNetwork: true", "image: nginx:latest", "gitops-guard.io/ignore: '*'", "gitops-guard.io/ignore: k8s/run-as-root",
];

export type Mutation =
  | { kind: "flip"; at: number; byte: number }
  | { kind: "delete-line" | "duplicate-line"; line: number }
  | { kind: "swap-lines"; a: number; b: number }
  | { kind: "indent"; line: number; delta: number }
  | { kind: "insert"; line: number; column: number; text: string }
  | { kind: "anchor"; line: number; name: string }
  | { kind: "alias"; line: number; name: string }
  | { kind: "truncate"; at: number }
  | { kind: "bytes"; at: number; bytes: readonly number[] }
  | { kind: "crlf" | "tabs" | "bom" };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const anchorName = fc.constantFrom("a", "b", "x1", "&", "");

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fraction, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constantFrom("delete-line" as const, "duplicate-line" as const), line: fraction }),
  fc.record({ kind: fc.constant("swap-lines" as const), a: fraction, b: fraction }),
  fc.record({ kind: fc.constant("indent" as const), line: fraction, delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant("insert" as const), line: fraction, column: fraction, text: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant("anchor" as const), line: fraction, name: anchorName }),
  fc.record({ kind: fc.constant("alias" as const), line: fraction, name: anchorName }),
  fc.record({ kind: fc.constant("truncate" as const), at: fraction }),
  // Invalid UTF-8 (a lone continuation byte, an overlong form, a truncated sequence, a surrogate), NUL, a BOM.
  fc.record({ kind: fc.constant("bytes" as const), at: fraction, bytes: fc.constantFrom([0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0x00], [0xef, 0xbb, 0xbf]) }),
  fc.record({ kind: fc.constantFrom("crlf" as const, "tabs" as const, "bom" as const) }),
);

const pick = (n: number, f: number) => Math.min(n - 1, Math.floor(f * n));

/** Applies mutations in order; the result is bytes once a byte-level mutation happened. */
export function mutate(text: string, mutations: readonly Mutation[]): Content {
  let s = text;
  let bytes: Buffer | null = null;
  const lines = () => s.split("\n");
  for (const m of mutations) {
    if (bytes) {
      if (m.kind === "flip" && bytes.length) bytes[pick(bytes.length, m.at)] = m.byte;
      else if (m.kind === "bytes") bytes = Buffer.concat([bytes.subarray(0, pick(bytes.length + 1, m.at)), Buffer.from(m.bytes), bytes.subarray(pick(bytes.length + 1, m.at))]);
      else if (m.kind === "truncate") bytes = bytes.subarray(0, pick(bytes.length + 1, m.at));
      continue;
    }
    const ls = lines();
    switch (m.kind) {
      case "flip":
      case "bytes": {
        const b = Buffer.from(s, "utf8");
        bytes = b;
        if (m.kind === "flip" && b.length) b[pick(b.length, m.at)] = m.byte;
        else if (m.kind === "bytes") bytes = Buffer.concat([b.subarray(0, pick(b.length + 1, m.at)), Buffer.from(m.bytes), b.subarray(pick(b.length + 1, m.at))]);
        break;
      }
      case "delete-line":
        ls.splice(pick(ls.length, m.line), 1);
        s = ls.join("\n");
        break;
      case "duplicate-line": {
        const i = pick(ls.length, m.line);
        ls.splice(i, 0, ls[i]!);
        s = ls.join("\n");
        break;
      }
      case "swap-lines": {
        const [i, j] = [pick(ls.length, m.a), pick(ls.length, m.b)];
        [ls[i], ls[j]] = [ls[j]!, ls[i]!];
        s = ls.join("\n");
        break;
      }
      case "indent": {
        const i = pick(ls.length, m.line);
        ls[i] = m.delta >= 0 ? " ".repeat(m.delta) + ls[i] : ls[i]!.replace(new RegExp(`^ {0,${-m.delta}}`), "");
        s = ls.join("\n");
        break;
      }
      case "insert": {
        const i = pick(ls.length, m.line);
        const line = ls[i]!;
        const c = pick(line.length + 1, m.column);
        ls[i] = line.slice(0, c) + m.text + line.slice(c);
        s = ls.join("\n");
        break;
      }
      case "anchor":
      case "alias": {
        const i = pick(ls.length, m.line);
        ls[i] = m.kind === "anchor" ? ls[i]!.replace(/:(\s|$)/, `: &${m.name}$1`) : ls[i]!.replace(/:\s.*$/, `: *${m.name}`);
        s = ls.join("\n");
        break;
      }
      case "truncate":
        s = s.slice(0, pick(s.length + 1, m.at));
        break;
      case "crlf":
        s = s.replace(/\n/g, "\r\n");
        break;
      case "tabs":
        s = s.replace(/^( {2})+/gm, (sp) => "\t".repeat(sp.length / 2));
        break;
      case "bom":
        s = `\ufeff${s}`;
        break;
    }
  }
  return bytes ?? s;
}

/** A corpus or fixture document with up to `max` mutations. */
export const mutatedSeed = (max: number) =>
  fc.record({ seed: fc.constantFrom(...SEEDS), mutations: fc.array(mutation, { maxLength: max }) }).map(({ seed, mutations }) => ({ from: seed.path, content: mutate(seed.text, mutations), mutations }));

// ---------------------------------------------------------------------------------------------------------------
// Hostile shapes. Each says whether the engine must refuse it (a guard/parse-error) rather than read it.

export interface Hostile {
  name: string;
  content: Content;
  /** True when the file must come back as a guard/parse-error (it cannot or must not be read as YAML). */
  refused: boolean;
}

function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(",")}]`);
  return `${lines.join("\n")}\n`;
}

function nestedBlock(depth: number): string {
  let s = "";
  for (let i = 0; i < depth; i++) s += `${" ".repeat(i)}k${i}:\n`;
  return `${s}${" ".repeat(depth)}leaf\n`;
}

export const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc.integer({ min: 4, max: 10 }).map((n) => ({ name: `alias bomb (${n} levels)`, content: aliasBomb(n), refused: true })),
  fc.integer({ min: 101, max: 3_000 }).map((d) => ({ name: `flow nesting ${d} deep`, content: `${"[".repeat(d)}x${"]".repeat(d)}\n`, refused: true })),
  fc.integer({ min: 101, max: 400 }).map((d) => ({ name: `block nesting ${d} deep`, content: nestedBlock(d), refused: true })),
  fc.integer({ min: 1_000_001, max: 1_200_000 }).map((n) => ({ name: `${n} bytes`, content: `a: ${"x".repeat(n)}\n`, refused: true })),
  fc.uint8Array({ minLength: 1, maxLength: 4_096 }).map((b) => ({ name: "binary", content: Uint8Array.from([...b, 0]), refused: true })),
  fc.uint8Array({ minLength: 0, maxLength: 512 }).map((b) => ({ name: "invalid UTF-8", content: Uint8Array.from([0x61, 0x3a, 0x20, ...b.filter((x) => x !== 0), 0xff]), refused: true })),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => ({ name: `giant scalar (${n})`, content: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: ${"Ab9+/".repeat(n / 5)}\n`, refused: false })),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => ({ name: `${n} documents`, content: "---\nkind: ConfigMap\n".repeat(n), refused: false })),
  fc.integer({ min: 1_000, max: 50_000 }).map((n) => ({ name: `list of ${n}`, content: `apiVersion: v1\nkind: List\nitems:\n${"- {kind: Pod, metadata: {name: p}}\n".repeat(n)}`, refused: false })),
  fc.constantFrom(
    { name: "empty", content: "", refused: false },
    { name: "comments only", content: "# nothing\n# here\n", refused: false },
    { name: "only a document marker", content: "---\n...\n", refused: false },
    { name: "a bare alias", content: "****\n", refused: true },
    { name: "an undefined alias", content: "a: *nowhere\n", refused: true },
  ),
);

// ---------------------------------------------------------------------------------------------------------------
// Pathological strings for every secrets pattern: a prefix that starts a match, a long run that keeps it going, and
// a character that makes it fail at the end (where a backtracking engine retries every split of the run).

const NEAR_MISSES: ReadonlyArray<[prefix: string, run: string, breaker: string]> = [
  ["ghp_", "A1", "!"],
  ["ghs_1_eyJ", "a", "."],
  ["github_pat_", "a_", "-"],
  ["glpat-", "a.", "\u00e9"],
  ["xoxb-", "1-", "*"],
  ["xapp-1-", "A", "-1"],
  ["sk_live_", "a", "_"],
  ["AIza", "a-", "+"],
  ["npm_", "a", "_"],
  ["AGE-SECRET-KEY-1", "Q", "b"],
  ["eyJ", "a", ".ey"],
  ["eyJhbGciOiJIUzI1NiJ9.ey", "a", "."],
  ["AKIA", "A", "a"],
  ["-----BEGIN RSA PRIVATE KEY-----\n", "QUJD\n", "-----END"],
  ["-----BEGIN ", "PRIVATE KEY", "-----"],
  ["https://", "u:", "@"],
  ["postgres://user:", "p@", "@@"],
  ["a://", ":@", "!"],
  ["ENC[AES256_GCM,", "data:", ""],
  ["${", "{", ""],
  ["{{", "{ ", "}"],
  ["<path:", "a", ">>"],
  ["password=", " ", "x"],
  ["export TOKEN=", "\t", "$"],
  ["secret: ", "a ", "#"],
  ["ssh-rsa ", "AAAA", "=="],
  ["arn:aws:secretsmanager:", "a:", ""],
  ["a.", "a.", "!"],
  ["", "a-", "-"],
];

export interface Pathological {
  name: string;
  value: string;
}

/** Every near-miss at one length (for measuring). */
export function nearMisses(n: number): Pathological[] {
  return NEAR_MISSES.map(([prefix, run, breaker]) => ({ name: `${JSON.stringify(prefix)} + ${JSON.stringify(run)}×${n}`, value: prefix + run.repeat(n) + breaker }));
}

export const pathological: fc.Arbitrary<Pathological> = fc
  .record({ miss: fc.constantFrom(...NEAR_MISSES), n: fc.integer({ min: 1, max: 40_000 }) })
  .map(({ miss: [prefix, run, breaker], n }) => ({ name: `${JSON.stringify(prefix)} + ${JSON.stringify(run)}×${n} + ${JSON.stringify(breaker)}`, value: prefix + run.repeat(n) + breaker }));

/** Places a string where each secrets rule looks: Secret data, env values, embedded config files, URLs, comments. */
export function carrying(value: string, where: number): string {
  const quoted = JSON.stringify(value);
  switch (where % 6) {
    case 0:
      return `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  token: ${quoted}\n  password: ${quoted}\n`;
    case 1:
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: ${quoted}\n          env:\n            - name: API_TOKEN\n              value: ${quoted}\n`;
    case 2:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  application.properties: |\n    db.password=${value.replace(/\n/g, " ")}\n    token: ${value.replace(/\n/g, " ")}\n    ${value.replace(/\n/g, " ")}\n`;
    case 3:
      return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: ${quoted}, targetRevision: ${quoted}}\n  destination: {server: ${quoted}, namespace: x}\n`;
    case 4:
      return `# ${value.replace(/\n/g, " ")}\nkey: value\nannotations: {note: ${quoted}}\n${JSON.stringify(value.slice(0, 1024))}: 1\n`;
    default:
      return `image:\n  repository: ${quoted}\n  tag: ${quoted}\nauth:\n  password: ${quoted}\n  url: ${quoted}\n`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Regular expressions a pull request controls, and inputs that make backtracking explode on them.

export const RISKY_PATTERNS = ["(a+)+$", "^(a|a)*$", "(a*)*b", "^(\\w+\\s?)*$", "(.*a){12}", "^(a|aa)+$", "(x+x+)+y", "^(([a-z])+.)+[A-Z]([a-z])+$"];
export const EXPLODING_INPUT = `${"a".repeat(48)}!`;

/** A SOPS-managed Secret whose own metadata says which keys are encrypted, with a key that stalls the pattern. */
export function sopsWithPattern(pattern: string, key = EXPLODING_INPUT): string {
  return `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  ${JSON.stringify(key)}: q8Zr3TnW5vKx2LmP9sHd4Yb7\n  data: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:x,type:str]\n  lastmodified: "2026-01-01T00:00:00Z"\n  encrypted_regex: ${JSON.stringify(pattern)}\n`;
}

/** A kustomization whose patch target and image name are patterns, over resources whose names stall them. */
export function kustomizationWithPattern(pattern: string): Record<string, string> {
  const name = EXPLODING_INPUT.replace("!", "-");
  return {
    "app/kustomization.yaml": `resources: [d.yaml]\npatches:\n  - target: {kind: Deployment, name: ${JSON.stringify(pattern)}}\n    patch: |\n      - op: add\n        path: /metadata/labels\n        value: {x: y}\nimages:\n  - name: ${JSON.stringify(pattern)}\n    newTag: v2\n`,
    "app/d.yaml": `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${JSON.stringify(name)}}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: ${JSON.stringify(`${name}:1`)}}]\n`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Planted secrets: realistic tokens (random bodies, so each run's are new) that the output must never contain.

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const body = (n: number) => fc.array(fc.constantFrom(...ALNUM), { minLength: n, maxLength: n }).map((a) => a.join(""));

export interface Planted {
  /** The secret itself (what must not come out). */
  secret: string;
  /** A YAML document carrying it in a value. */
  doc: string;
}

export const planted: fc.Arbitrary<Planted> = fc.oneof(
  body(36).map((b) => `ghp_${b}`).map((secret) => ({ secret, doc: `apiVersion: v1\nkind: Secret\nmetadata: {name: gh}\nstringData:\n  token: ${secret}\n` })),
  body(16).map((b) => `AKIA${b.toUpperCase()}`).map((secret) => ({ secret, doc: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws}\ndata:\n  AWS_ACCESS_KEY_ID: ${secret}\n` })),
  body(20).map((secret) => ({ secret, doc: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: db@sha256:${"a".repeat(64)}\n          env:\n            - name: DATABASE_URL\n              value: postgres://admin:${secret}@db.internal:5432/app\n            - name: DB_PASSWORD\n              value: ${secret}\n` })),
  body(24).map((secret) => ({ secret, doc: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: props}\ndata:\n  application.properties: |\n    spring.datasource.password=${secret}\n    api.token: ${secret}\n` })),
  body(28).map((secret) => ({ secret, doc: `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p, namespace: argocd}\nspec:\n  sourceRepos: ["https://git:${secret}@git.example.com/x.git"]\n` })),
  body(32).map((secret) => ({ secret, doc: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${"s"}\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","stringData":{"password":"${secret}"}}'\ndata:\n  password: ${Buffer.from(secret).toString("base64")}\n` })),
);
