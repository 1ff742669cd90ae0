/**
 * The GitHub App gives the CLI's answer (`npm run test:long`, with GITOPS_GUARD_LAYOUTS=<dir of git repositories>):
 * for every `pr-*` branch of every repository under the directory (against the newest `main*` branch it contains),
 * the branch is opened as a pull request on the fake GitHub (its two commits, the file list as GitHub reports it),
 * the real server reviews it from a signed `pull_request` webhook, and what the App publishes — the check run's
 * conclusion, annotations, summary and text, and the summary comment — is compared with
 * `gitops-guard review --base <base> --head <branch> --format json`: the same findings (rule, file, line), statuses
 * and conclusion, the same messages (with the overlays they were rendered from), within the GitHub request budget.
 * Differences the design allows are not differences: annotations mark new findings only (at most 50), fixed
 * findings are shown without a line. Also compared: each new finding's severity, columns and fingerprint on its
 * annotation, and the audit record (conclusion, counts, new findings' fingerprints). GITOPS_GUARD_PARITY_CONFIG=<file>
 * runs under that config (the App reads it as the org's `.github` config, the CLI with --config);
 * GITOPS_GUARD_PARITY_OUT=<file> writes every review (requests made, differences) as JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gitPrs } from "./git-pr.js";
import { startParityRig, type ParityRig, type ParityRow } from "./parity.js";

const ROOT = process.env.GITOPS_GUARD_LAYOUTS;
const layouts = ROOT ? readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory() && statSync(join(ROOT, d, ".git"), { throwIfNoEntry: false })) : [];

let rig: ParityRig;
const report: ParityRow[] = [];

beforeAll(async () => {
  if (ROOT) rig = await startParityRig(process.env.GITOPS_GUARD_PARITY_CONFIG ? { config: process.env.GITOPS_GUARD_PARITY_CONFIG } : {});
}, 60_000);

afterAll(async () => {
  if (!ROOT) return;
  if (process.env.GITOPS_GUARD_PARITY_OUT) writeFileSync(process.env.GITOPS_GUARD_PARITY_OUT, JSON.stringify(report, null, 2));
  await rig?.close();
});

(ROOT ? describe : describe.skip)("the App answers as the CLI does on real overlay layouts", () => {
  let number = 0;
  for (const name of layouts) {
    describe(name, () => {
      for (const pr of gitPrs(join(ROOT!, name))) {
        it(`${pr.baseRef}...${pr.branch}`, async () => {
          const row = await rig.compare(pr, name, ++number);
          report.push(row);
          expect(row.diffs).toEqual([]);
        }, 120_000);
      }
    });
  }
});
