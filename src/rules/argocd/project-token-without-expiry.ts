import { defineRule } from "../../core/rule.js";
import { appProject, objectItems, q, str, type Obj } from "./_project-appproject.js";

/** `exp` as Argo CD stores it (seconds since the epoch); missing, 0 or negative means "never expires". */
function expires(exp: unknown): boolean {
  const n = typeof exp === "number" ? exp : typeof exp === "string" && exp.trim() !== "" ? Number(exp) : NaN;
  return Number.isFinite(n) && n > 0;
}

function tokenName(token: Obj, index: number): string {
  const id = str(token, "id");
  if (id !== null) return `token ${q(id)}`;
  const iat = token.iat;
  if (typeof iat === "number" && Number.isFinite(iat) && iat > 0 && iat < 1e11) return `token issued ${new Date(iat * 1000).toISOString().slice(0, 10)}`;
  return `token #${index + 1}`;
}

export default defineRule({
  meta: {
    id: "argocd/project-token-without-expiry",
    title: "AppProject role token without expiry",
    severity: "medium",
    description: "An AppProject `spec.roles[].jwtTokens[]` entry without `exp`, or with `exp: 0`.",
    rationale:
      "Project tokens are bearer credentials for CI systems. `argocd proj role create-token` issues them without an expiration by default, so a leaked token keeps working until someone notices and revokes it. An expiry bounds the damage.",
    fix: "Issue the token with an expiry (`argocd proj role create-token <project> <role> --expires-in 30d`), delete the non-expiring entry, and rotate the token before it expires.",
    example: {
      bad: "roles:\n  - name: ci\n    jwtTokens:\n      - iat: 1700000000\n",
      good: "roles:\n  - name: ci\n    jwtTokens:\n      - iat: 1700000000\n        exp: 1702592000\n",
    },
  },
  checkDoc({ doc, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    for (const role of objectItems(proj.spec.roles)) {
      const roleName = q(str(role.value, "name") ?? String(role.index));
      for (const token of objectItems(role.value.jwtTokens)) {
        if (expires(token.value.exp)) continue;
        const which = tokenName(token.value, token.index);
        const hasExp = "exp" in token.value && token.value.exp !== null;
        report({
          path: hasExp ? ["spec", "roles", role.index, "jwtTokens", token.index, "exp"] : ["spec", "roles", role.index, "jwtTokens", token.index],
          message: `${proj.label} role ${roleName} ${which} never expires.`,
        });
      }
    }
  },
});
