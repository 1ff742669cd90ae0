import type { JsonPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import { appProject, entryIdentity, q, stringItems } from "./_project-appproject.js";
import { groupKinds } from "./_project-cluster-resources.js";
import { allowsAnyCluster, destinations, isShadowedDeny, isWildcardServer } from "./_project-destinations.js";
import { isWildcardOnly } from "./_project-glob.js";
import { wildcardRepoReason } from "./_project-repos.js";

export default defineRule({
  meta: {
    id: "argocd/default-project-permissive",
    title: "The default AppProject is permissive",
    severity: "high",
    description:
      "The AppProject named `default` allows `*` in `sourceRepos`, `destinations` (server, name or namespace) or `clusterResourceWhitelist` (kind). One finding per list, at its first wildcard entry.",
    rationale:
      "Every Application that names no project, or names `default`, lands in the default project. Argo CD creates it allowing every repository, cluster, namespace and kind, and maintainers call it a foot-gun (argo-cd#11058): committing it permissive keeps that door open for anyone who can create an Application.",
    fix: "Lock the default project down (`sourceRepos: []`, `destinations: []`, `clusterResourceWhitelist: []`) and give each team its own project.",
    example: {
      bad: "kind: AppProject\nmetadata:\n  name: default\nspec:\n  sourceRepos: ['*']\n  destinations:\n    - server: '*'\n      namespace: '*'\n",
      good: "kind: AppProject\nmetadata:\n  name: default\nspec:\n  sourceRepos: []\n  destinations: []\n  clusterResourceWhitelist: []\n",
    },
  },
  checkDoc({ doc, report }) {
    const proj = appProject(doc);
    if (!proj || proj.name !== "default") return;
    const found: Array<{ path: JsonPath; identity?: JsonPath; what: string }> = [];

    const repo = stringItems(proj.spec.sourceRepos).find((r) => wildcardRepoReason(r.value) !== null);
    if (repo) found.push({ path: ["spec", "sourceRepos", repo.index], identity: entryIdentity(["spec", "sourceRepos"], repo.value), what: `source repository ${q(repo.value)}` });

    const all = destinations(proj.spec);
    for (const d of all) {
      // A `!` field does not make an entry deny-only in Argo CD; a missing cluster does, and so does another entry that
      // already allows all it does (Argo CD's deny pattern: that entry is the one reported).
      if (!allowsAnyCluster(d) || isShadowedDeny(d, all)) continue;
      const field = (["server", "name", "namespace"] as const).find((f) => {
        const v = d[f];
        return v !== null && (f === "server" ? isWildcardServer(v) : isWildcardOnly(v));
      });
      if (field === undefined) continue;
      found.push({ path: ["spec", "destinations", d.index, field], what: `destination ${field} ${q(d[field] ?? "")}` });
      break;
    }

    const kind = groupKinds(proj.spec.clusterResourceWhitelist).find((e) => e.kind !== null && isWildcardOnly(e.kind));
    if (kind) found.push({ path: ["spec", "clusterResourceWhitelist", kind.index, "kind"], what: `cluster-scoped kind ${q(kind.kind ?? "")}` });

    for (const f of found) {
      report({ path: f.path, ...(f.identity !== undefined ? { identity: f.identity } : {}), message: `The default AppProject allows ${f.what}; every Application without a project of its own gets it.` });
    }
  },
});
