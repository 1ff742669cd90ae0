#!/usr/bin/env node
/**
 * Pathological inputs for the secrets detectors (issue 12, point 2): each one is a file under the 1 MB cap that
 * once made a detector super-linear. Every input goes through the whole engine (`scan` from `dist/core/review.js`
 * with every rule); the script prints milliseconds per megabyte and exits 1 when one is over the budget.
 *
 *   npm run build && node bench/pathological-secrets.mjs [--budget 2000] [--timeout 60] [--rounds 3] [--scale 1]
 *                                                     [--only name,...] [--dist dir]
 *
 * Each input is scanned `--rounds` times and the fastest round counts (this machine is shared; slow rounds measure the
 * neighbours). "parse ms/MB" is the `yaml` package alone parsing the same text, the floor under any rule.
 * Each input runs in its own worker thread, so an input that hangs is stopped at --timeout seconds (and reported
 * as over budget) instead of holding the others up. The generators are exported (and run at a small size by
 * `src/rules/secrets/pathological.test.ts` to check what is found, not how fast).
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, resolve } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** A small deterministic generator (mulberry32), so that every run reviews the same "random" text. */
export function random(seed = 42) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(rnd, alphabet, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64 = `${ALNUM}+/`;

/** `unit` repeated until the text is `bytes` long (the last copy may be cut). */
function repeatTo(unit, bytes) {
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, Math.max(0, bytes));
}

/** Lines from `line(i)` until about `bytes` long. */
function linesTo(bytes, line) {
  const out = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = line(i);
    out.push(l);
    size += l.length + 1;
  }
  return out.join("\n") + "\n";
}

const secretHeader = (name) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: apps\ntype: Opaque\n`;
const configMapHeader = (name) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\n`;

/** A signed HS256 JWT with random claims (structure only; no real key signs it). */
function jwt(rnd) {
  const b64url = (s) => Buffer.from(s).toString("base64url");
  const header = b64url('{"alg":"HS256","typ":"JWT"}');
  const payload = b64url(JSON.stringify({ sub: pick(rnd, ALNUM, 12), iat: 1700000000 + Math.floor(rnd() * 1e6) }));
  return `${header}.${payload}.${pick(rnd, `${ALNUM}-_`, 43)}`;
}

/**
 * name, file path, default size in bytes, and the text for a size. The first seven are the red-team inputs of
 * issue 12 (with the times measured before the fix); the rest cover the other detectors the same way.
 */
export const INPUTS = [
  {
    name: "jwt-prefix-comment",
    note: "a comment line of `eyJ_` repeated (was 8 min 42 s at 990 KB)",
    path: "pathological/jwt-prefix.yaml",
    bytes: 990_000,
    make: (n) => `# ${repeatTo("eyJ_", n - 3)}\n`,
  },
  {
    name: "tiny-documents",
    note: "110,000 tiny documents in one file (was 90 s)",
    path: "pathological/tiny-documents.yaml",
    bytes: 990_000,
    make: (n) => repeatTo("---\nk: v\n", n),
  },
  {
    name: "aws-key-ids-one-line",
    note: "random AKIA… ids on one line (±10-line window rescanned per id; was 86 s at 400 KB)",
    path: "pathological/aws-ids.yaml",
    bytes: 400_000,
    make: (n) => {
      const rnd = random(1);
      const ids = [];
      for (let size = 2; size < n; size += 21) ids.push(`AKIA${pick(rnd, UPPER_DIGITS, 16)}`);
      return `# ${ids.join(" ")}\n`;
    },
  },
  {
    name: "aws-key-ids-and-secrets",
    note: "AKIA… ids and 40-character secrets alternating, one per line in a list",
    path: "pathological/aws-pairs.yaml",
    bytes: 990_000,
    make: (n) => {
      const rnd = random(2);
      return `keys:\n${linesTo(n - 6, (i) => (i % 2 === 0 ? `  - AKIA${pick(rnd, UPPER_DIGITS, 16)}` : `  - ${pick(rnd, B64, 40)}`))}`;
    },
  },
  {
    name: "ghs-jwt-comment",
    note: "`ghs_1_eyJ-` repeated (was 57 s)",
    path: "pathological/ghs.yaml",
    bytes: 990_000,
    make: (n) => `# ${repeatTo("ghs_1_eyJ-", n - 3)}\n`,
  },
  {
    name: "templating-dollar-brace",
    note: '`password: "${${…"` (templating pattern; was 50 s)',
    path: "pathological/templating/values.yaml",
    bytes: 990_000,
    make: (n) => `password: "${repeatTo("${", n - 14)}"\n`,
  },
  {
    name: "spaces-in-embedded-config",
    note: "500-character `password: a<spaces>b` lines in a ConfigMap's config file (was ~30 ms a line)",
    path: "pathological/spaces/configmap.yaml",
    bytes: 990_000,
    make: (n) => `${configMapHeader("spaces")}data:\n  app.conf: |\n${linesTo(n - 120, () => `    password: a${" ".repeat(480)}b`)}`,
  },
  {
    name: "spaces-in-secret-config",
    note: "the same lines in a Secret's config file (content-aware judgement of embedded files)",
    path: "pathological/spaces/secret.yaml",
    bytes: 990_000,
    make: (n) => `${secretHeader("spaces")}stringData:\n  app.conf: |\n${linesTo(n - 140, () => `    password: a${" ".repeat(480)}b`)}`,
  },
  {
    name: "spaces-in-values",
    note: "500-character `passwordN: a<spaces>b` keys in a Helm values file",
    path: "pathological/spaces/values.yaml",
    bytes: 990_000,
    make: (n) => linesTo(n, (i) => `password${i}: a${" ".repeat(480)}b`),
  },
  {
    name: "pem-begin-without-end",
    note: "`-----BEGIN PRIVATE KEY-----` lines with no END (was 5 s)",
    path: "pathological/pem.yaml",
    bytes: 990_000,
    make: (n) => linesTo(n, () => "# -----BEGIN PRIVATE KEY-----"),
  },
  {
    name: "pem-begin-in-secret",
    note: "BEGIN lines with base64 bodies and no END in a Secret's tls.key",
    path: "pathological/pem-secret.yaml",
    bytes: 990_000,
    make: (n) => {
      const rnd = random(3);
      return `${secretHeader("pem")}stringData:\n  tls.key: |\n${linesTo(n - 140, (i) => (i % 4 === 0 ? "    -----BEGIN RSA PRIVATE KEY-----" : `    ${pick(rnd, B64, 64)}`))}`;
    },
  },
  {
    name: "double-brace-value",
    note: '`password: "{{{{…"` (Helm expression pattern)',
    path: "pathological/braces/values.yaml",
    bytes: 990_000,
    make: (n) => `password: "${repeatTo("{{", n - 14)}"\n`,
  },
  {
    name: "url-userinfo-run",
    note: "`a://b:` followed by a long run with no `@`, and `x://u:p@` repeated",
    path: "pathological/urls.yaml",
    bytes: 990_000,
    make: (n) => `a: "a://b:${repeatTo("c:", n / 2 - 20)}"\nb: "${repeatTo("x://u:p@", n / 2 - 20)}"\n`,
  },
  {
    name: "url-at-query-run",
    note: "`x://u:p@s?a=1@` repeated: every URL read twice, an `@` before a `?` in each (the loose password reading)",
    path: "pathological/urls-at-query.yaml",
    bytes: 990_000,
    make: (n) => `a: "${repeatTo("x://u:p@s?a=1@", n / 2 - 20)}"\nb: "x://u:p@${repeatTo("s?w@", n / 2 - 20)}"\n`,
  },
  {
    name: "secret-many-keys",
    note: "one Secret with ~40,000 random passwords",
    path: "pathological/secret-many-keys.yaml",
    bytes: 990_000,
    make: (n) => {
      const rnd = random(4);
      return `${secretHeader("many")}stringData:\n${linesTo(n - 120, (i) => `  KEY_${i}: ${pick(rnd, ALNUM, 16)}`)}`;
    },
  },
  {
    name: "values-many-passwords",
    note: "a Helm values file with ~40,000 password keys (one finding each)",
    path: "pathological/many/values.yaml",
    bytes: 990_000,
    make: (n) => {
      const rnd = random(5);
      return linesTo(n, (i) => `password${i}: ${pick(rnd, ALNUM, 10)}`);
    },
  },
  {
    name: "many-jwts",
    note: "~4,000 signed JWTs in one ConfigMap list (one finding each)",
    path: "pathological/jwts.yaml",
    bytes: 990_000,
    make: (n) => {
      const rnd = random(6);
      return `${configMapHeader("jwts")}data:\n  tokens: |\n${linesTo(n - 120, () => `    ${jwt(rnd)}`)}`;
    },
  },
  {
    name: "secret-base64-blob",
    note: "one Secret value of ~990 KB base64",
    path: "pathological/blob.yaml",
    bytes: 990_000,
    make: (n) => {
      const rnd = random(7);
      return `${secretHeader("blob")}data:\n  blob: ${Buffer.from(pick(rnd, ALNUM, Math.floor(((n - 120) * 3) / 4))).toString("base64")}\n`;
    },
  },
  {
    name: "secret-json-config",
    note: "one Secret whose config.json is a ~990 KB JSON object",
    path: "pathological/json-config.yaml",
    bytes: 990_000,
    make: (n) => {
      const rnd = random(8);
      const fields = [];
      for (let size = 0; size < n - 200; size += 40) fields.push(`"${i2key(fields.length)}":"${pick(rnd, ALNUM, 20)}"`);
      return `${secretHeader("json")}stringData:\n  config.json: '{${fields.join(",")}}'\n`;
    },
  },
];

function i2key(i) {
  return i % 10 === 0 ? `password${i}` : `setting${i}`;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** Runs one input in this worker: the fastest of `rounds` full scans, and of as many parses with the `yaml` package alone. */
async function runOne({ name, scale, dist, rounds }) {
  const input = INPUTS.find((i) => i.name === name);
  const text = input.make(Math.floor(input.bytes * scale));
  const base = pathToFileURL(resolve(dist)).href;
  const { scan } = await import(`${base}/core/review.js`);
  const { defaultConfig } = await import(`${base}/core/config.js`);
  const { ALL_RULES } = await import(`${base}/rules/index.js`);
  const { parseAllDocuments } = await import("yaml");
  const config = defaultConfig();
  let ms = Infinity;
  let parseMs = Infinity;
  let result;
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    result = scan([{ path: input.path, content: text }], { config, rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z") });
    ms = Math.min(ms, performance.now() - t);
    t = performance.now();
    for (const d of parseAllDocuments(text, { logLevel: "error", uniqueKeys: false })) if (d.errors.length === 0) d.toJS({ maxAliasCount: 100 });
    parseMs = Math.min(parseMs, performance.now() - t);
  }
  const bytes = Buffer.byteLength(text);
  const secrets = result.findings.filter((f) => f.ruleId.startsWith("secrets/")).length;
  return { ms, parseMs, bytes, findings: result.findings.length, secrets };
}

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const budget = Number(arg("budget", "2000"));
  const timeout = Number(arg("timeout", "60")) * 1000;
  const scale = Number(arg("scale", "1"));
  const dist = arg("dist", resolve(HERE, "../dist"));
  const only = arg("only", "");
  const rounds = Number(arg("rounds", "3"));
  const names = only ? only.split(",") : INPUTS.map((i) => i.name);
  let failed = false;
  process.stdout.write(`${"input".padEnd(28)} ${"size".padStart(9)} ${"time".padStart(10)} ${"ms/MB".padStart(9)} ${"parse ms/MB".padStart(12)}  findings (secrets)\n`);
  for (const name of names) {
    if (!INPUTS.some((i) => i.name === name)) throw new Error(`unknown input ${name}`);
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { name, scale, dist, rounds } });
    const outcome = await new Promise((done) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        done({ timedOut: true });
      }, timeout);
      worker.once("message", (m) => {
        clearTimeout(timer);
        done(m);
      });
      worker.once("error", (err) => {
        clearTimeout(timer);
        done({ error: String(err?.stack ?? err) });
      });
    });
    await worker.terminate();
    const mb = (b) => b / 1_000_000;
    let line;
    if (outcome.timedOut) {
      failed = true;
      line = `${name.padEnd(28)} ${"".padStart(9)} ${`>${timeout / 1000} s`.padStart(10)} ${"-".padStart(9)}  stopped at the timeout  OVER BUDGET`;
    } else if (outcome.error) {
      failed = true;
      line = `${name.padEnd(28)} error: ${outcome.error}`;
    } else {
      const perMb = outcome.ms / mb(outcome.bytes);
      const over = perMb > budget;
      failed ||= over;
      const parsePerMb = outcome.parseMs / mb(outcome.bytes);
      line = `${name.padEnd(28)} ${`${(outcome.bytes / 1000).toFixed(0)} KB`.padStart(9)} ${`${outcome.ms.toFixed(0)} ms`.padStart(10)} ${perMb.toFixed(0).padStart(9)} ${parsePerMb.toFixed(0).padStart(12)}  ${outcome.findings} (${outcome.secrets})${over ? "  OVER BUDGET" : ""}`;
    }
    process.stdout.write(`${line}\n`);
  }
  process.stdout.write(
    `budget: ${budget} ms per MB through the whole engine (scan with every rule; fastest of ${rounds} rounds). "parse ms/MB" is the yaml package alone on the same text, for comparison.\n`,
  );
  process.exitCode = failed ? 1 : 0;
}

if (!isMainThread && workerData?.name) {
  parentPort.postMessage(await runOne(workerData));
} else if (isMainThread && process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
