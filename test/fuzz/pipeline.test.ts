/**
 * Bad input through parse → Kustomize render → rules (fast-check): mutated corpus documents, hostile shapes,
 * pathological near-misses for every secrets pattern, pull-request-controlled regular expressions, and planted
 * secrets. Whatever comes in, the engine answers: no throw, no hang (a catastrophic backtrack would hold a test past
 * its timeout), every file accounted for — a guard/parse-error exactly when it could not be read, findings inside
 * the file — and no planted secret in anything that leaves: finding messages and fixes, notes, the check run, the PR
 * comment, the stored review record, a render's failure reason. Time per file is measured by test/fuzz/timing.test.ts
 * (`npm run test:long`), not asserted here.
 */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { defaultConfig } from "../../src/core/config.js";
import { evaluateFile, PARSE_ERROR } from "../../src/core/evaluate.js";
import { Policy } from "../../src/core/policy.js";
import { scan, type ReviewResult } from "../../src/core/review.js";
import { buildKustomization, memoryTree, printYaml, renderedToParsedDoc } from "../../src/kustomize/index.js";
import { decodeFile } from "../../src/parse/decode.js";
import { DEFAULT_LIMITS } from "../../src/parse/limits.js";
import { parseYamlFile, type ParsedFile } from "../../src/parse/yaml-file.js";
import { checkRunOutput } from "../../src/report/check-run-output.js";
import { renderMarkdown } from "../../src/report/pr-comment.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { reviewRecordFrom } from "../../src/store/convert.js";
import { fuzzSeed, scaled } from "../long.js";
import { carrying, hostile, kustomizationWithPattern, mutatedSeed, mutation, mutate, pathological, planted, PROJECTS, RISKY_PATTERNS, sopsWithPattern, type Content } from "./inputs.js";

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: fuzzSeed() });

const NOW = new Date("2026-06-01T00:00:00Z");
// Every file is reviewed, fixture folders included (seeds come from rule fixtures, which the defaults exclude).
const DEFAULTS = defaultConfig();
const CONFIG = { ...DEFAULTS, paths: { ...DEFAULTS.paths, excludeDefaults: false } };
const KNOWN = new Set(ALL_RULES.map((r) => r.meta.id));

const review = (files: ReadonlyArray<{ path: string; content: Content }>) => scan(files, { config: CONFIG, rules: ALL_RULES, now: NOW });

/** Everything a review puts in front of people or on the record. */
function outputs(result: ReviewResult): string {
  const record = reviewRecordFrom(result, { repo: "acme/gitops", pr: 1, headSha: "a".repeat(40), baseSha: "b".repeat(40), time: NOW });
  return [
    ...result.findings.flatMap((f) => [f.message, f.fix, f.path, f.resource.name ?? ""]),
    ...result.notes,
    JSON.stringify(checkRunOutput(result, { maxAnnotations: 50 })),
    renderMarkdown(result),
    JSON.stringify(record),
  ].join("\n");
}

function lineCount(content: Content): number {
  const decoded = decodeFile(content, DEFAULT_LIMITS.maxFileBytes);
  return decoded.ok ? decoded.text.split("\n").length : 1;
}

/** Every file is accounted for: a parse error exactly when it could not be read; findings point inside it. */
function expectAccounted(files: ReadonlyArray<{ path: string; content: Content }>, result: ReviewResult): void {
  const paths = new Set(files.map((f) => f.path));
  expect(result.filesReviewed).toBe(paths.size);
  for (const f of result.findings) {
    expect(paths.has(f.file)).toBe(true);
    const lines = lineCount(files.find((x) => x.path === f.file)!.content);
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.line).toBeLessThanOrEqual(lines + 1);
    expect(f.endLine).toBeGreaterThanOrEqual(f.line);
    expect(f.column).toBeGreaterThanOrEqual(1);
    expect(KNOWN.has(f.ruleId)).toBe(true);
  }
  for (const file of files) {
    const parsed = parseYamlFile(file.path, file.content, DEFAULT_LIMITS);
    const parseErrors = result.findings.filter((f) => f.ruleId === PARSE_ERROR && f.file === file.path);
    expect({ file: file.path, unreadable: parseErrors.length > 0 }).toEqual({ file: file.path, unreadable: parsed.problems.length > 0 });
  }
}

const RUNS = {
  mutated: scaled(120, 3_000),
  hostile: scaled(25, 400),
  pathological: scaled(60, 1_500),
  render: scaled(80, 2_000),
  planted: scaled(60, 1_500),
};

describe("parse → rules on bad input", () => {
  it("mutated corpus and fixture documents: no throw, every file accounted for", () => {
    fc.assert(
      fc.property(fc.array(mutatedSeed(6), { minLength: 1, maxLength: 4 }), (seeds) => {
        const files = seeds.map((s, i) => ({ path: `m${i}/${s.from.replace(/[^\w./-]/g, "_")}`, content: s.content }));
        expectAccounted(files, review(files));
      }),
      { numRuns: RUNS.mutated },
    );
  });

  it("hostile shapes (alias bombs, deep nesting, over 1 MB, binary, invalid UTF-8, giant scalars, many documents) are refused or read, never crash", () => {
    fc.assert(
      fc.property(hostile, (h) => {
        const files = [{ path: "hostile.yaml", content: h.content }];
        const result = review(files);
        expectAccounted(files, result);
        if (h.refused) expect(result.findings.some((f) => f.ruleId === PARSE_ERROR)).toBe(true);
      }),
      { numRuns: RUNS.hostile },
    );
  });

  it("pathological near-misses for every secrets pattern, wherever a secrets rule looks", () => {
    fc.assert(
      fc.property(pathological, fc.nat(5), (p, where) => {
        const files = [{ path: "values.yaml", content: carrying(p.value, where) }];
        expectAccounted(files, review(files));
      }),
      { numRuns: RUNS.pathological },
    );
  });

  it.each(RISKY_PATTERNS)("a SOPS encrypted_regex %j with a key that stalls it: answered at once", (pattern) => {
    const files = [{ path: "secret.sops.yaml", content: sopsWithPattern(pattern) }];
    const result = review(files);
    expectAccounted(files, result);
    // A pattern that cannot be run safely is not trusted to say the value is meant to be in the clear.
    expect(result.findings.map((f) => f.ruleId)).toContain("secrets/plaintext-secret");
  });
});

/** The pipeline's view of a render: rendered objects as documents of a file, rules run on them. */
function renderedFile(path: string, resources: ReturnType<typeof renderedToParsedDoc>[]): ParsedFile {
  return { path, text: "", rangeOf: () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }), docs: resources, problems: [], skipped: null };
}

describe("parse → Kustomize render → rules on bad input", () => {
  it("mutated kustomizations and resources of the corpus: a render or a reason, never a throw; rules run on what renders", () => {
    const policy = new Policy(CONFIG, ALL_RULES);
    let rendered = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...PROJECTS),
        fc.array(fc.record({ which: fc.nat(), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (project, edits, rootPick) => {
          const files: Record<string, Content> = { ...project.files };
          const kustomizations = Object.keys(files).filter((p) => /kustomization\.ya?ml$/.test(p));
          const yaml = Object.keys(files).filter((p) => /\.ya?ml$/.test(p));
          for (const [i, e] of edits.entries()) {
            // Half the edits go to kustomizations, the rest to any YAML file.
            const pool = i % 2 === 0 ? kustomizations : yaml;
            const path = pool[e.which % pool.length]!;
            const text = files[path];
            if (typeof text === "string") files[path] = mutate(text, e.mutations);
          }
          const tree = memoryTree(files);
          const root = project.roots[rootPick % project.roots.length]!;
          const built = buildKustomization(tree, root);
          if (!built.ok) {
            expect(built.reason.length).toBeGreaterThan(0);
            expect(built.reason).not.toMatch(/^internal error/);
            return;
          }
          rendered++;
          const docs = built.resources.map((r, i) => renderedToParsedDoc(r, i));
          for (const d of docs) for (const p of [["metadata", "name"], ["spec", "template", "spec", "containers", 0, "image"], ["nope", 3]] as const) expect(d.locate([...p]).line).toBeGreaterThanOrEqual(1);
          evaluateFile(renderedFile(`${root}/rendered`, docs), policy, KNOWN);
          const printed = printYaml(built.resources.map((r) => r.value));
          expectAccounted([{ path: `${root}/rendered.yaml`, content: printed }], review([{ path: `${root}/rendered.yaml`, content: printed }]));
        },
      ),
      { numRuns: RUNS.render },
    );
    // Not every mutation breaks a build: rules ran on rendered output too.
    expect(rendered).toBeGreaterThan(0);
  });

  it.each(RISKY_PATTERNS)("a patch target and image name %j over names that stall it: answered at once", (pattern) => {
    const built = buildKustomization(memoryTree(kustomizationWithPattern(pattern)), "app");
    // Refused with a reason (the caller then reviews the files one by one), not run.
    expect(built).toMatchObject({ ok: false, reason: expect.stringMatching(/regex .* it could stall the review, so it is not run$/) });
  });
});

describe("planted secrets never come back out", () => {
  it("of a review: messages, fixes, notes, check run, PR comment, review record", () => {
    let found = 0;
    fc.assert(
      fc.property(fc.array(planted, { minLength: 1, maxLength: 3 }), fc.array(mutatedSeed(3), { maxLength: 2 }), (secrets, noise) => {
        const files = [
          ...secrets.map((s, i) => ({ path: `apps/secret-${i}.yaml`, content: s.doc })),
          // The same documents after other (mutated) documents in one file.
          { path: "apps/mixed.yaml", content: [...noise.map((n) => (typeof n.content === "string" ? n.content : "")), ...secrets.map((s) => s.doc)].join("\n---\n") },
        ];
        const result = review(files);
        if (result.findings.some((f) => f.ruleId.startsWith("secrets/"))) found++;
        const out = outputs(result);
        for (const s of secrets) expect(out).not.toContain(s.secret);
      }),
      { numRuns: RUNS.planted },
    );
    // The secrets were seen (a token that looks like a sample, e.g. AKIAAAAA…, is rightly not reported).
    expect(found).toBeGreaterThan(RUNS.planted / 2);
  });

  it("of a render: a failure reason, and the review of what rendered", () => {
    fc.assert(
      fc.property(planted, fc.constantFrom("literals", "patch", "resource"), (s, how) => {
        const kustomization =
          how === "literals"
            ? `secretGenerator:\n  - name: app\n    literals: ["token=${s.secret}", "broken"]\n`
            : how === "patch"
              ? `resources: [r.yaml]\npatches:\n  - patch: '{"stringData": {"x": "${s.secret}"}'\n`
              : `resources: [r.yaml, missing-${s.secret.length}.yaml]\n`;
        const built = buildKustomization(memoryTree({ "k/kustomization.yaml": kustomization, "k/r.yaml": s.doc }), "k");
        if (!built.ok) expect(built.reason).not.toContain(s.secret);
        else {
          const printed = printYaml(built.resources.map((r) => r.value));
          expect(outputs(review([{ path: "k/rendered.yaml", content: printed }]))).not.toContain(s.secret);
        }
      }),
      { numRuns: RUNS.planted },
    );
  });
});
