import { CONFIG_PATH } from "../core/config.js";

export const HELP = `gitops-guard — reviews GitOps changes (Argo CD, Kubernetes, Kustomize, Helm values) for risky changes

Usage:
  gitops-guard scan PATH... [options]                 review files/directories; every finding is "new"
  gitops-guard review --base X --head Y [--repo DIR]  review what head changes relative to base:
                                                      git refs in --repo (default .), compared like a PR
                                                      (base...head), or two directories
  gitops-guard rules [--format text|markdown|json]    list the rules
  gitops-guard explain RULE                           rationale, fix and example for one rule
  gitops-guard render DIR                             print the kustomization in DIR as Argo CD would apply it
                                                      (rendered in process, like kubectl kustomize)
  gitops-guard decisions --repo owner/name [--pr N] [--since DATE] [--format json|csv]
                                                      audit export of recorded reviews, waivers and overrides

Options:
  --format text|json|markdown|sarif   output format (default text)
  --config FILE                       repository config (default: ${CONFIG_PATH} — for review,
                                      read from the base side, never from the head)
  --fail-on SEVERITY                  critical|high|medium|low|info (default from config, else high)
  --no-render                         scan/review: judge every file on its own, without rendering
                                      Kustomize roots (to compare; see "gitops-guard render")
  -h, --help                          show this help
  --version                           print the version

Exit codes: 0 passed, 1 failed (a new finding at or above --fail-on), 2 usage or configuration error.
`;
