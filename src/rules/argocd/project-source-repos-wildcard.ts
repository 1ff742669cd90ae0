import { defineRule } from "../../core/rule.js";
import { appProject, entryIdentity, q, stringItems } from "./_project-appproject.js";
import { wildcardRepoReason } from "./_project-repos.js";

export default defineRule({
  meta: {
    id: "argocd/project-source-repos-wildcard",
    title: "AppProject allows any source repository",
    severity: "high",
    description:
      "An AppProject whose `spec.sourceRepos` contains `*`, or an entry that admits any host (`https://*`) or any owner on a public host (`https://github.com/*/*`). `!`-prefixed entries are denies and are never reported.",
    rationale:
      "`sourceRepos` decides which Git and Helm repositories the project's Applications may deploy from. With a wildcard, anyone who can create or push to any repository (including a stranger's public repository) can have Argo CD deploy it with the project's permissions (GHSA-2f5v-8r3f-8pww: \"limit which repositories are available in projects\").",
    fix: "List the repositories (or one organisation, e.g. `https://github.com/my-org/*`) the project really deploys from instead of a wildcard.",
    example: {
      bad: "kind: AppProject\nspec:\n  sourceRepos:\n    - '*'\n",
      good: "kind: AppProject\nspec:\n  sourceRepos:\n    - https://github.com/my-org/team-a-deploy\n",
    },
  },
  checkDoc({ doc, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    for (const { value, index } of stringItems(proj.spec.sourceRepos)) {
      const reason = wildcardRepoReason(value);
      if (reason === null) continue;
      report({
        path: ["spec", "sourceRepos", index],
        identity: entryIdentity(["spec", "sourceRepos"], value),
        message: `${proj.label} sourceRepos entry ${q(value)} allows Applications from ${reason}.`,
      });
    }
  },
});
