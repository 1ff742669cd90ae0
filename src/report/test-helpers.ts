/** Hand-built review results for the report tests (not used at run time). */
import { marked } from "marked";
import { compareFindings, decide, type ReviewResult } from "../core/review.js";
import type { Finding, Severity } from "../core/types.js";

let seq = 0;

export function finding(over: Partial<Finding> = {}): Finding {
  seq++;
  return {
    ruleId: "argocd/project-source-repos-wildcard",
    severity: "high",
    status: "new",
    file: "apps/projects/team-a.yaml",
    line: 9,
    column: 7,
    endLine: 9,
    endColumn: 10,
    resource: { apiVersion: "argoproj.io/v1alpha1", kind: "AppProject", namespace: "argocd", name: "team-a" },
    path: "spec.sourceRepos[0]",
    message: 'AppProject "team-a" allows any source repository.',
    fix: "List the repositories this project may deploy from instead of `*`.",
    docIndex: 0,
    fingerprint: `fp${String(seq).padStart(6, "0")}`,
    suppressed: null,
    ...over,
  };
}

/** A result as `review()` would build it: sorted findings, counts and conclusion from `decide()`. */
export function result(findings: Finding[], over: Partial<Omit<ReviewResult, "findings" | "summary" | "conclusion">> = {}): ReviewResult {
  const failOn: Severity = over.failOn ?? "high";
  const decided = decide([...findings].sort(compareFindings), failOn);
  return { ...decided, notes: over.notes ?? [], filesReviewed: over.filesReviewed ?? 1, failOn };
}

/** A mixed review: new critical + high, a new low, an existing medium, a fixed high, a waived high. */
export function mixedResult(): ReviewResult {
  return result(
    [
      finding({ ruleId: "k8s/privileged-container", severity: "critical", file: "apps/web/deploy.yaml", line: 21, column: 23, endLine: 21, endColumn: 27, resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "web", name: "web" }, path: "spec.template.spec.containers[0].securityContext.privileged", message: 'Container "app" in Deployment "web" runs privileged.', fix: "Remove `privileged: true`." }),
      finding({ line: 9 }),
      finding({ ruleId: "k8s/missing-resources", severity: "low", file: "apps/web/deploy.yaml", line: 17, column: 11, endLine: 17, endColumn: 14, message: 'Container "app" has no resource limits.', fix: "Set `resources.limits`." }),
      finding({ ruleId: "argocd/app-default-project", severity: "medium", status: "existing", file: "apps/web/app.yaml", line: 6, column: 12, endLine: 6, endColumn: 19, message: 'Application "web" uses the default project.', fix: "Use a dedicated AppProject." }),
      finding({ ruleId: "argocd/project-destination-wildcard", severity: "high", status: "fixed", line: 14, message: 'AppProject "team-a" allows any destination namespace.' }),
      finding({ ruleId: "argocd/app-destructive-sync-options", severity: "high", file: "apps/web/app.yaml", line: 30, column: 9, endLine: 30, endColumn: 21, message: 'Application "web" syncs with Replace=true.', suppressed: { by: "waiver", reason: "migration window", expires: "2026-12-31T00:00:00.000Z", actor: "alice" } }),
    ],
    { filesReviewed: 3, notes: ["charts/web/templates/deploy.yaml: skipped — Helm template"] },
  );
}

/** HTML of GitHub-flavoured Markdown, as a GFM renderer makes it (marked; GitHub also sanitises, which only removes more). */
export function toHtml(md: string): string {
  return marked.parse(md, { gfm: true, async: false });
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** The text a reader sees (tags removed, entities decoded, zero-width spaces dropped); `withCode: false` leaves code out. */
export function visibleText(md: string, withCode = true): string {
  let html = toHtml(md);
  if (!withCode) html = html.replace(/<code>[\s\S]*?<\/code>/g, " ");
  return decodeEntities(html.replace(/<[^>]*>/g, " ")).replace(/\u200b/g, "");
}

/**
 * Everything in rendered Markdown that is live rather than text: links (except to `allowLinks` prefixes), images, and
 * HTML tags a renderer would not make from our own Markdown; plus, in text outside code, @-mentions and `#12` issue
 * references that GitHub would turn into notifications and cross-references. Empty when the document is inert.
 */
export function liveParts(md: string, allowLinks: readonly string[] = []): string[] {
  const html = toHtml(md);
  const out: string[] = [];
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) if (!allowLinks.some((p) => m[1]!.startsWith(p))) out.push(`link ${m[1]}`);
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)/g)) {
    if (!OUR_TAGS.has(m[2]!.toLowerCase())) out.push(`tag <${m[1]}${m[2]}>`);
  }
  const text = decodeEntities(html.replace(/<code>[\s\S]*?<\/code>/g, " ").replace(/<[^>]*>/g, " "));
  for (const m of text.matchAll(/(?:^|[^\w`])(@[A-Za-z0-9][\w-]*)/g)) out.push(`mention ${m[1]}`);
  for (const m of text.matchAll(/(?:^|[^\w&])(#\d+|GH-\d+)/gi)) out.push(`reference ${m[1]}`);
  return out;
}

/** Tags our own reports and replies produce. */
const OUR_TAGS = new Set(["p", "ul", "ol", "li", "code", "strong", "em", "h3", "h4", "hr", "sub", "details", "summary", "a", "br", "blockquote", "pre", "table", "thead", "tbody", "tr", "th", "td"]);

/** Hostile text a user or a manifest can put in a reason, a file name, a rule id or a message. */
export const HOSTILE = [
  "[click me](https://evil.example/login)",
  "![pixel](https://evil.example/t.png)",
  "<img src=x onerror=alert(1)>",
  "<b>bold</b><script>alert(1)</script>",
  "<details open><summary>x</summary>",
  "@octocat and @org/team",
  "`` ` `` code ` breaker",
  "# Heading",
  "| a | b |\n|---|---|\n| 1 | 2 |",
  "https://evil.example/path",
  "www.evil.example",
  "mail me: someone@evil.example",
  "fixes #12 and GH-34",
  "**bold** _em_ ~~strike~~",
  "<https://evil.example/auto>",
  "[ref]: https://evil.example",
  "&lt;not a tag&gt; &#64;octocat",
] as const;

/**
 * A pull request that adds 70 Deployments, each privileged, on the host's network and PID namespace, run as root and
 * with SYS_ADMIN and a literal password: 420 blocking findings over 5 rules (one a secret; host-namespaces words its fix
 * per namespace: one rule of 140 findings, two fix texts), with realistic messages and fixes.
 */
export function bigPullRequest(deployments = 70): ReviewResult {
  const rules: Array<Pick<Finding, "ruleId" | "severity" | "fix"> & { message: (name: string) => string; line: number }> = [
    { ruleId: "k8s/privileged-container", severity: "critical", line: 16, fix: "Remove `privileged: true`; grant only the capabilities the process needs.", message: (n) => `Container "w" in Deployment "${n}" runs privileged: it has every capability of the node's root user.` },
    { ruleId: "k8s/host-namespaces", severity: "high", line: 11, fix: "Remove `hostNetwork: true` from the pod spec.", message: (n) => `Deployment "${n}" shares the node's network namespace (hostNetwork: true).` },
    { ruleId: "k8s/host-namespaces", severity: "high", line: 12, fix: "Remove `hostPID: true` from the pod spec.", message: (n) => `Deployment "${n}" shares the node's process namespace (hostPID: true).` },
    { ruleId: "k8s/dangerous-capabilities", severity: "high", line: 17, fix: "Remove `SYS_ADMIN` from `capabilities.add`.", message: (n) => `Container "w" of Deployment "${n}" adds the capability SYS_ADMIN.` },
    { ruleId: "k8s/run-as-root", severity: "high", line: 16, fix: "Set `runAsNonRoot: true` and a non-zero `runAsUser`.", message: (n) => `Container "w" of Deployment "${n}" runs as root (runAsUser: 0).` },
    { ruleId: "secrets/literal-env-secret", severity: "high", line: 18, fix: "Move the value into a Secret and reference it with `valueFrom.secretKeyRef`.", message: (n) => `Container "w" of Deployment "${n}" sets env DB_PASSWORD to a literal value.` },
  ];
  const findings: Finding[] = [];
  for (let i = 0; i < deployments; i++) {
    const name = `worker-${i}`;
    for (const r of rules) {
      findings.push(
        finding({
          ruleId: r.ruleId,
          severity: r.severity,
          fix: r.fix,
          file: "apps/gitea/base/workers.yml",
          line: i * 19 + r.line,
          endLine: i * 19 + r.line,
          message: `${r.message(name)} [Kustomize: rendered from apps/gitea/dev]`,
          resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "gitea", name },
        }),
      );
    }
  }
  return result(findings, { filesReviewed: 1 });
}

/** The rule ids of bigPullRequest(), the most severe first. */
export const BIG_PR_RULES = ["k8s/privileged-container", "secrets/literal-env-secret", "k8s/dangerous-capabilities", "k8s/host-namespaces", "k8s/run-as-root"] as const;
