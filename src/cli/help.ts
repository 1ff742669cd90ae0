import { CONFIG_PATH } from "../core/config.js";

const COMMON = `  --format text|json|markdown|sarif   output format (default text)
  --config FILE                       repository config (default: ${CONFIG_PATH}; see below)
  --fail-on SEVERITY                  critical|high|medium|low|info (default from config, else high)
  --color auto|always|never           colour in text output (default auto: on a terminal, unless
                                      NO_COLOR is set or TERM=dumb; FORCE_COLOR turns it on)
  --no-render                         judge every file on its own, without rendering Kustomize roots
                                      (to compare; see "gitops-guard render")
  --no-ecr                            no Amazon ECR checks (they run when AWS credentials or
                                      AWS_ENDPOINT_URL_ECR are set, unless ecr.enabled: false)
  --sarif-file FILE                   also write the report as SARIF to FILE (one run prints text
                                      and writes what code scanning uploads)
  -h, --help                          show this help`;

const EXIT_CODES = `Exit codes: 0 passed, 1 failed (a new finding at or above --fail-on), 2 usage or configuration error.`;

/** Usage of each command, shown by `gitops-guard <command> --help` and `gitops-guard help <command>`. */
export const COMMAND_HELP = {
  scan: `Usage: gitops-guard scan PATH... [options]

Reviews files and directories as they are: every finding is "new". Directories are searched for *.yaml, *.yml
and .env files (plus paths.include, minus paths.exclude); files named on the command line are always reviewed.

Options:
${COMMON}

Config: --config FILE, else ${CONFIG_PATH} of the scanned directory (or of the nearest parent inside the same
git repository), else of the current directory, else the defaults. The config used is named on stderr.

${EXIT_CODES}
`,
  review: `Usage: gitops-guard review --base X --head Y [--repo DIR] [options]

Reviews what head changes relative to base, as a pull request does: X and Y are git refs of the repository in
--repo (default .), compared against their merge base (git diff X...Y), or two directories (e.g. rendered
manifests). Findings are new (head only), existing (both) or fixed (base only); only new ones fail the review.

Options:
  --base X                            the target branch (e.g. origin/main), or a directory
  --head Y                            the change (e.g. HEAD), or a directory
  --repo DIR                          the git repository (default .)
  --repo-url URL                      the repository reviewed (default: the origin remote of --repo): an Argo CD
                                      source whose repoURL names another repository is not a directory here;
                                      markdown of git refs: link each finding to its line at the head commit
                                      (in GitHub Actions the repository is known without it)
${COMMON}

Config: --config FILE, else ${CONFIG_PATH} read from the BASE side (the base ref, or the base directory), never
from the head, so a change cannot loosen its own review; else the defaults. The config used is named on stderr.

Shallow clones: the merge base of X and Y must be in the clone. When it is not, review stops with exit 2 and
says what to fetch (actions/checkout: fetch-depth: 0, or git fetch --deepen=N).

${EXIT_CODES}
`,
  rules: `Usage: gitops-guard rules [--format text|markdown|json]

Lists every rule: id, default severity and title (markdown: the full reference; json: the metadata).
`,
  explain: `Usage: gitops-guard explain RULE

Prints the rationale, fix and an example for one rule (e.g. gitops-guard explain k8s/privileged-container).
`,
} as const;

export type CommandName = keyof typeof COMMAND_HELP;

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
  gitops-guard help COMMAND                           usage of one command (or: gitops-guard COMMAND --help)

Options:
${COMMON}
  -v, --version                       print the version

Config: --config FILE, else ${CONFIG_PATH} (for review, read from the base side, never from the head).

${EXIT_CODES}
`;
