#!/usr/bin/env bash
# Checks that gitops-guard installs and runs outside its checkout, as a user gets it:
#   1. `npm pack` ships bin/ and dist/ (and no tests, fakes or sources);
#   2. the tarball installs into an empty directory and `npx gitops-guard` runs there (version, scan, rules | head);
#   3. with --git, also `npm install git+file://<this repository>#<HEAD>` (npm runs `prepare`, which builds dist/).
# Run by .ci/run after the test suite (it takes about a minute: the installs come from the npm cache or registry).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
version=$(node -p 'require("./package.json").version')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-package: $*" >&2; exit 1; }

# 1. What the package contains.
npm pack --dry-run --json --ignore-scripts > "$work/pack.json" 2>/dev/null
node -e '
const files = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].files.map((f) => f.path);
const need = ["bin/gitops-guard.js", "dist/cli/main.js", "dist/app/index.js", "package.json", "README.md"];
const missing = need.filter((p) => !files.includes(p));
const extra = files.filter((p) => /^(src|test|bench|infra|examples|\.ci|scripts)\//.test(p) || /\.test\.js$|\/fakes?\//.test(p));
if (missing.length || extra.length) { console.error("check-package: npm pack", { missing, extra }); process.exit(1); }
console.log(`check-package: npm pack ships ${files.length} files (bin/, dist/, docs/rules.md, app.yml, README, package.json)`);
' "$work/pack.json"

# 2. The tarball, installed into an empty directory.
npm pack --pack-destination "$work" > /dev/null 2>&1
tarball=$(ls "$work"/gitops-guard-*.tgz)
mkdir "$work/user" && cd "$work/user"
echo '{"name":"user","version":"1.0.0","private":true}' > package.json
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" > /dev/null
[ "$(npx --no-install gitops-guard --version)" = "$version" ] || fail "npx gitops-guard --version is not $version"
set +e
npx --no-install gitops-guard scan "$repo/examples/head" --format json > scan.json 2> scan.err
code=$?
set -e
[ "$code" -eq 1 ] || { cat scan.err >&2; fail "scan of the example: expected exit 1, got $code"; }
node -e 'const r = JSON.parse(require("fs").readFileSync("scan.json", "utf8")); if (r.version !== 1 || r.summary.new < 5) process.exit(1)' || fail "scan output is not the JSON contract"
grep -q '^gitops-guard: config ' scan.err || fail "scan did not say which config it used"
first=$(npx --no-install gitops-guard rules 2> rules.err | head -1)
[ -n "$first" ] && [ ! -s rules.err ] || { cat rules.err >&2; fail "gitops-guard rules | head -1 wrote to stderr"; }
echo "check-package: the tarball installs in an empty directory; npx gitops-guard runs (version $version, scan exit 1, rules | head -1 quiet)"

# 3. A git URL (npm clones the commit, installs its devDependencies and runs prepare).
if [ "${1:-}" = "--git" ]; then
  mkdir "$work/git-user" && cd "$work/git-user"
  echo '{"name":"git-user","version":"1.0.0","private":true}' > package.json
  npm install --no-audit --no-fund --prefer-offline --loglevel=error "git+file://$repo#$(git -C "$repo" rev-parse HEAD)" > /dev/null
  [ "$(npx --no-install gitops-guard --version)" = "$version" ] || fail "installed from git: npx gitops-guard --version is not $version"
  [ -f node_modules/gitops-guard/dist/cli/main.js ] || fail "installed from git: dist/ was not built"
  echo "check-package: installs from a git URL (prepare builds dist/)"
fi
