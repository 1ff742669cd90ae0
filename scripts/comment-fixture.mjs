// A realistic review result of N findings, rendered as the PR summary comment (or the check-run summary), for looking
// at what users see: `node scripts/comment-fixture.mjs 50 > /tmp/c50.md && node scripts/render-comment.mjs /tmp/c50.md /tmp/c50.png`.
// Needs `npm run build` first (it uses dist/). Deterministic: the same N gives the same result.
//
// The findings are real: the engine's own output on every rule's `invalid-*` fixture and on examples/head, spread
// over a handful of plausible files, with a mix of statuses (new, existing, fixed, suppressed) like a large PR that
// touches files with old problems in them. About one new finding in eight blocks (critical/high), as in real trials.
//
// Options: --check (render the check-run summary and text instead), --no-links (no repository URL), --max BYTES.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => import(join(root, "dist", p));
const { scan, decide, compareFindings } = await dist("core/review.js");
const { defaultConfig } = await dist("core/config.js");
const { ALL_RULES } = await dist("rules/index.js");
const { renderMarkdown } = await dist("report/pr-comment.js");
const { checkRunOutput } = await dist("report/check-run-output.js");

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 50);
const maxArg = args.indexOf("--max");
const maxChars = maxArg >= 0 ? Number(args[maxArg + 1]) : undefined;

function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) && (p.includes("examples") || e.name.startsWith("invalid-")) ? [p] : [];
  });
}

const files = [...yamlFiles(join(root, "src/rules")), ...yamlFiles(join(root, "examples/head"))].map((p) => ({ path: relative(root, p), content: readFileSync(p) }));
const config = defaultConfig();
const pool = scan(files, { config, rules: ALL_RULES, now: new Date("2026-03-01T00:00:00Z") }).findings.filter((f) => !f.ruleId.startsWith("guard/"));

// A small deterministic generator (mulberry32), so renders can be compared before and after a change.
let seed = 0x9e3779b9 ^ n;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const blockingPool = pool.filter((f) => f.severity === "critical" || f.severity === "high");
const otherPool = pool.filter((f) => f.severity !== "critical" && f.severity !== "high");
const teams = ["payments", "checkout", "search", "platform", "observability", "identity", "billing", "web"];
const envs = ["prod", "staging", "dev"];
const fileCount = Math.max(3, Math.round(n / 10));
const paths = Array.from({ length: fileCount }, (_, i) => `apps/${teams[i % teams.length]}/${envs[Math.floor(i / teams.length) % envs.length]}/${["deployment", "values", "application", "rbac", "secrets", "statefulset"][i % 6]}.yaml`);
const people = ["alice", "bob", "carol-ops"];
const reasons = ["vendor chart, fix tracked in OPS-1234", "node agent needs host access by design", "migration window until the cluster upgrade", "accepted by security review SEC-88"];

// The first five are one of each kind, so even a small comment shows every section.
const FIRST = [
  { status: "new", blocking: true },
  { status: "new", blocking: false },
  { status: "new", blocking: true, waived: true },
  { status: "existing", blocking: false },
  { status: "fixed", blocking: true },
];
const waiver = () => ({ by: "waiver", reason: pick(reasons), expires: "2026-04-30T00:00:00.000Z", actor: pick(people) });
const findings = [];
for (let i = 0; i < n; i++) {
  const r = random();
  // Statuses like a large PR that touches old files: most findings new, a third already there, some fixed or accepted.
  const kind = FIRST[i] ?? { status: r < 0.55 ? "new" : r < 0.85 ? "existing" : "fixed" };
  const blocking = kind.blocking ?? (kind.status === "new" ? random() < 0.14 : random() < 0.1);
  const base = pick(blocking ? blockingPool : otherPool);
  const suppressed = kind.waived
    ? waiver()
    : i >= FIRST.length && kind.status !== "fixed" && random() < 0.07
      ? pick([waiver(), { by: "annotation", reason: pick(reasons), expires: null, actor: null }, { by: "config", reason: pick(reasons), expires: "2026-12-31", actor: null }])
      : null;
  const file = pick(paths);
  const name = `${base.resource.name ?? "x"}-${i}`;
  findings.push({ ...base, file, status: kind.status, suppressed, line: 5 + Math.floor(random() * 120), resource: { ...base.resource, name }, fingerprint: `fp${i}` });
}
findings.sort(compareFindings);
const result = {
  ...decide(findings, config.failOn),
  notes: ["charts/web/templates/deployment.yaml: skipped — Helm template (render it with `helm template` and review the output)", "apps/legacy/kustomization.yaml: could not be rendered (missing base ../base); its files were reviewed one by one"].slice(0, n >= 20 ? 2 : 1),
  filesReviewed: fileCount + 2,
  failOn: config.failOn,
};

const headSha = "3f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e";
const commit = args.includes("--no-links") ? { headSha } : { headSha, repositoryUrl: "https://github.com/acme/gitops", checkRunUrl: "https://github.com/acme/gitops/runs/4242" };
if (args.includes("--check")) {
  const out = checkRunOutput(result, { commit });
  process.stdout.write(`## ${out.title}\n\n${out.summary}\n${out.text ? `\n---\n\n${out.text}` : ""}`);
} else process.stdout.write(renderMarkdown(result, { commit, ...(maxChars ? { maxChars } : {}) }));
