import { PARSE_ERROR } from "../../core/evaluate.js";
import { defineRule } from "../../core/rule.js";

/** Reported by the engine itself (see core/evaluate.ts); this module carries the metadata. */
export default defineRule({
  meta: {
    id: PARSE_ERROR,
    title: "File could not be read safely",
    severity: "high",
    description:
      "A changed YAML file that is not valid YAML, or is too large, too deeply nested, too heavily aliased, binary or not UTF-8 to read safely. What the parser did read of an invalid document is still judged by the credential rules (a password above a stray line is committed all the same); no other rule reads it. Also a Kustomize root the pull request breaks: the base commit built it and Kustomize or Argo CD refuses the head (a file or component it names is gone, an Application's `kustomize` overrides conflict with the kustomization), reported at the root's kustomization file — not a failure of the in-process render itself (remote bases, plugins, its size limits).",
    rationale:
      "What gitops-guard cannot read it cannot review, and Argo CD will usually fail to sync it too. A file that hides its content behind an alias bomb or a binary blob must not pass review silently.",
    fix: "Fix the YAML syntax at the reported line (or split the file / remove the aliases) so it parses; for a kustomization that no longer builds, restore what it names or remove the reference (`kubectl kustomize DIR` shows the same error).",
    example: { bad: "spec:\n  replicas: [1, 2\n", good: "spec:\n  replicas: 2\n" },
  },
});
