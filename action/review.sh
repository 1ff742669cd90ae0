#!/usr/bin/env bash
# The gitops-guard GitHub Action's review step (action.yml): runs `gitops-guard review` on GG_BASE...GG_HEAD in the
# current directory, prints the report in GG_FORMAT and, when GG_SARIF is true, writes SARIF to GG_SARIF_FILE (the same
# run: `--sarif-file`). It never
# fails itself: it writes `exit-code` (and `sarif-file`, `checkout-path`) to $GITHUB_OUTPUT, and the action's last step
# turns the exit code into the job's verdict, after the SARIF upload has run. The SARIF path is written absolute: the
# step runs in the `working-directory` input, but upload-sarif resolves a relative path against $GITHUB_WORKSPACE.
set -uo pipefail
bin="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}/bin/gitops-guard.js"
out="${GITHUB_OUTPUT:-/dev/stdout}"
args=(review --base "${GG_BASE:?base commit missing}" --head "${GG_HEAD:?head commit missing}")
[ -n "${GG_FAIL_ON:-}" ] && args+=(--fail-on "$GG_FAIL_ON")
[ -n "${GG_CONFIG:-}" ] && args+=(--config "$GG_CONFIG")

# One review: the report in GG_FORMAT on stdout and, when asked, the same findings as SARIF in a file.
sarif=""
if [ "${GG_SARIF:-true}" = "true" ]; then
  sarif="${GG_SARIF_FILE:-gitops-guard.sarif}"
  case "$sarif" in /*) ;; *) sarif="$PWD/$sarif" ;; esac
  rm -f "$sarif"
  args+=(--sarif-file "$sarif")
fi
node "$bin" "${args[@]}" --format "${GG_FORMAT:-text}"
code=$?
echo "exit-code=$code" >> "$out"

if [ -n "$sarif" ] && [ "$code" -lt 2 ]; then
  if [ -s "$sarif" ]; then
    echo "sarif-file=$sarif" >> "$out"
    echo "checkout-path=$PWD" >> "$out"
  else
    echo "::warning title=gitops-guard::could not write SARIF to $sarif"
  fi
fi
exit 0
