import { z } from "zod";
import { CONFIG_PATH, DEFAULT_COMMAND_PREFIX } from "../core/config.js";
import type { Rule } from "../core/rule.js";
import { IGNORE_ANNOTATION } from "../core/suppress.js";

const DOMAIN_TITLES: Record<string, string> = {
  argocd: "Argo CD",
  secrets: "Secrets in the repository",
  image: "Container images",
  ecr: "Amazon ECR",
  k8s: "Workload security",
  rbac: "RBAC",
  guard: "Engine findings",
};

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function anchor(id: string): string {
  return id.replace(/[^a-z0-9-]/g, "");
}

function defaultState(rule: Rule): string {
  const parts: string[] = [];
  if (rule.meta.enabledByDefault === false) parts.push("off by default");
  if (rule.meta.productionOnly) parts.push("production paths only");
  return parts.join(", ");
}

export interface RuleOptionDoc {
  key: string;
  description: string;
  /** The default as YAML flow text, e.g. `["latest"]`. */
  default: string;
}

/** A rule's `rules.<id>.options`, read from its zod schema (descriptions and defaults). */
export function ruleOptionDocs(rule: Rule): RuleOptionDoc[] {
  if (!rule.options) return [];
  const schema = z.toJSONSchema(rule.options, { io: "input" }) as { properties?: Record<string, { description?: string; default?: unknown }> };
  return Object.entries(schema.properties ?? {}).map(([key, p]) => ({ key, description: p.description ?? "", default: JSON.stringify(p.default ?? null) }));
}

/** The rule reference (docs/rules.md and `gitops-guard rules --format markdown`), generated from metadata only. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const lines: string[] = [
    "# gitops-guard rules",
    "",
    "<!-- Generated from rule metadata by `npm run docs`; do not edit by hand (a test fails when it is stale). -->",
    "",
    `Rule ids are public: use them in \`${CONFIG_PATH}\`, in \`${IGNORE_ANNOTATION}\` annotations and in \`${DEFAULT_COMMAND_PREFIX} waive\`.`,
    "Every rule's severity and on/off state can be changed in the config (`rules: { <id>: off | <severity> | { severity, paths, options } }`).",
    "",
  ];
  const domains = [...new Set(rules.map((r) => r.meta.id.split("/")[0]!))];
  for (const domain of domains) {
    const inDomain = rules.filter((r) => r.meta.id.startsWith(`${domain}/`));
    lines.push(`## ${DOMAIN_TITLES[domain] ?? domain}`, "", "| id | default severity | what it detects |", "|---|---|---|");
    for (const r of inDomain) {
      const state = defaultState(r);
      lines.push(`| [\`${r.meta.id}\`](#${anchor(r.meta.id)}) | ${r.meta.severity}${state ? ` (${state})` : ""} | ${cell(r.meta.description)} |`);
    }
    lines.push("");
    for (const r of inDomain) {
      const m = r.meta;
      lines.push(`### ${m.id}`, "", `**${m.title}** — default severity \`${m.severity}\`${defaultState(r) ? `, ${defaultState(r)}` : ""}.`, "");
      lines.push(m.description, "", `**Why:** ${m.rationale}`, "", `**Fix:** ${m.fix}`, "");
      const options = ruleOptionDocs(r);
      if (options.length) {
        lines.push(`**Options** (\`rules: { ${m.id}: { options: { … } } }\`):`, "");
        for (const o of options) lines.push(`- \`${o.key}\` (default \`${o.default}\`): ${o.description}`);
        lines.push("");
      }
      if (m.example) {
        lines.push("Flagged:", "", "```yaml", m.example.bad.trimEnd(), "```", "", "Passes:", "", "```yaml", m.example.good.trimEnd(), "```", "");
      }
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** Plain-text explanation of one rule, for `gitops-guard explain` and `/guard explain`. */
export function explainRule(rule: Rule): string {
  const m = rule.meta;
  const out = [
    `${m.id} — ${m.title}`,
    `default severity: ${m.severity}${defaultState(rule) ? ` (${defaultState(rule)})` : ""}`,
    "",
    `What: ${m.description}`,
    `Why:  ${m.rationale}`,
    `Fix:  ${m.fix}`,
  ];
  const options = ruleOptionDocs(rule);
  if (options.length) out.push("", "Options (rules.<id>.options in the config):", ...options.map((o) => `    ${o.key} (default ${o.default}): ${o.description}`));
  if (m.example) out.push("", "Flagged:", indent(m.example.bad), "Passes:", indent(m.example.good));
  return `${out.join("\n")}\n`;
}

function indent(s: string): string {
  return s
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
