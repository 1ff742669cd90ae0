import { defineRule } from "../../core/rule.js";
import { appProject, entryIdentity, q, stringItems } from "./_project-appproject.js";
import { globMatch, isDeny, isWildcardOnly } from "./_project-glob.js";

/** Argo CD reads `/.../` entries as (unanchored) regular expressions, anything else as a glob. */
function matcher(entry: string): ((ns: string) => boolean) | null {
  const e = entry.trim();
  if (e.length >= 2 && e.startsWith("/") && e.endsWith("/")) {
    try {
      const re = new RegExp(e.slice(1, -1));
      return (ns) => re.test(ns);
    } catch {
      return null;
    }
  }
  return (ns) => globMatch(e, ns);
}

/** A namespace name nobody has: an entry that matches it admits (almost) any namespace. */
const ANY_NAMESPACE_PROBE = "zz-probe-7c1e";

export default defineRule({
  meta: {
    id: "argocd/project-source-namespaces-wildcard",
    title: "AppProject accepts Applications from any namespace",
    severity: "high",
    description:
      "An AppProject `spec.sourceNamespaces` entry that is `*` (or a glob or `/regex/` admitting any namespace) or that matches the Argo CD namespace (`argocd`, or `argocd.namespace` in the config).",
    rationale:
      "With Applications in any namespace, `sourceNamespaces` decides whose Applications may use the project. A wildcard lets anyone who can create an Application in any namespace deploy with this project's destinations and permissions. Argo CD's documentation says never to grant access to the Argo CD namespace this way (see also CVE-2023-22736).",
    fix: "List the team namespaces whose Applications may use this project (e.g. `team-a`, `team-a-*`).",
    example: {
      bad: "kind: AppProject\nspec:\n  sourceNamespaces:\n    - '*'\n",
      good: "kind: AppProject\nspec:\n  sourceNamespaces:\n    - team-a\n",
    },
  },
  checkDoc({ doc, settings, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    for (const { value, index } of stringItems(proj.spec.sourceNamespaces)) {
      if (value.trim() === "" || isDeny(value)) continue;
      const match = matcher(value);
      if (match === null) continue;
      let why: string | null = null;
      if (isWildcardOnly(value) || match(ANY_NAMESPACE_PROBE)) why = "Applications from any namespace";
      else if (match(settings.argocdNamespace)) why = `Applications from the Argo CD namespace "${settings.argocdNamespace}"`;
      if (why === null) continue;
      report({ path: ["spec", "sourceNamespaces", index], identity: entryIdentity(["spec", "sourceNamespaces"], value), message: `${proj.label} sourceNamespaces entry ${q(value)} accepts ${why}.` });
    }
  },
});
