/**
 * The GitHub rows of `npm run bench` alone (300 and 3,000 files by default), without the engine, ECR and naive runs:
 * requests, wall time and the time Octokit's throttle held writes back, for work on how a review reads GitHub.
 *   npx tsc -p tsconfig.bench.json && node scripts/github-reads-bench.mjs [sizes...]
 */
import { formatGithubBench, runGithubBench } from "../.bench-dist/bench/github.js";

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const rows = await runGithubBench(sizes.length ? sizes : [300, 3000], 0);
process.stdout.write(`${formatGithubBench(rows).text}\n`);
