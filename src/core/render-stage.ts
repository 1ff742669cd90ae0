/**
 * The render stage of a review (DESIGN 2b): builds the Kustomize roots a change reaches, on each side, in
 * process, from the repository view. A root that cannot be rendered becomes a note, and the changed files it
 * reads are reviewed one by one as before. Pure and synchronous; every file comes from the view.
 */
import type { Document } from "yaml";
import { createRenderSession, type BuildResult, type RenderSession } from "../kustomize/index.js";
import type { ParsedFile } from "../parse/yaml-file.js";
import { applicationPathsOf, contentText, kustomizationInput, planRender, type SidePlan, type SidePlanInput } from "./render-plan.js";
import { sideTree, type FileContent, type RepositoryView, type Side } from "./repository.js";
import { runSteps, type Steps } from "./steps.js";

export interface RootRender {
  root: string;
  /** The root's kustomization file. */
  file: string;
  result: BuildResult;
}

export interface SideRender {
  renders: RootRender[];
  /** Files read by a root that rendered: their documents are judged through the render. */
  covered: ReadonlySet<string>;
  /** Files of a root that did not render: reviewed one by one (also when another root covers them). */
  fallback: ReadonlySet<string>;
  /** Text of a file of this side (for rules that point inside block scalars). */
  text(path: string): string | null;
}

export interface RenderStage {
  sides: Partial<Record<Side, SideRender>>;
  notes: string[];
}

export interface RenderStageInput {
  view: RepositoryView;
  /** Every changed path, both sides. */
  changed: readonly string[];
  /** Contents the review holds for each side (the changed files): read before the view. */
  overlay: Record<Side, ReadonlyMap<string, FileContent>>;
  /** The engine's own parse of a changed file on a side, to hand its YAML documents to the render. */
  parsed(side: Side, path: string): ParsedFile | undefined;
  /** The same, kept for evaluation (for files the stage reads itself, e.g. kustomizations for the plan). */
  kept(side: Side, path: string): ParsedFile | undefined;
  /** Called after each root's build with whether it rendered (what `parsed` handed out meanwhile was for it). */
  built?(side: Side, ok: boolean): void;
  /** Argo CD source paths of the Applications among the changed files, per side. */
  argoPaths: Record<Side, string[]>;
  excludes(path: string): boolean;
}

/** Applications found in renders can add roots; each round needs no new file (see render-plan.ts), a few suffice. */
const MAX_PLAN_ROUNDS = 3;

export function renderStage(input: RenderStageInput): RenderStage {
  return runSteps(renderStageSteps(input));
}

/** The render stage in steps: one per root built (a caller may pace them, see steps.ts). */
export function* renderStageSteps(input: RenderStageInput): Steps<RenderStage> {
  const sides = (["base", "head"] as const).filter((s) => input.view[s] !== undefined);
  const notes: string[] = [];
  const sessions = new Map<Side, RenderSession>();
  const texts = new Map<Side, (path: string) => string | null>();
  const planInputs: Partial<Record<Side, SidePlanInput>> = {};
  for (const s of sides) {
    const tree = sideTree(input.view[s]!, input.overlay[s]);
    const cache = new Map<string, string | null>();
    const text = (p: string): string | null => {
      if (!cache.has(p)) cache.set(p, contentText(tree.readFile(p)));
      return cache.get(p)!;
    };
    texts.set(s, text);
    // A changed kustomization the engine reviews is parsed once, by the engine, and its data feeds the plan.
    const kustomization = (p: string): string | { value: unknown } | null => kustomizationInput(input.overlay[s].has(p) ? input.kept(s, p) : undefined, () => text(p));
    planInputs[s] = { paths: [...input.view[s]!.paths, ...input.overlay[s].keys()], kustomization };
    const parsedDocuments = (path: string, t: string): readonly Document.Parsed[] | null => {
      const f = input.parsed(s, path);
      return f && f.text === t && f.problems.length === 0 && f.skipped === null ? (f.yamlDocuments ?? null) : null;
    };
    sessions.set(s, createRenderSession(tree, { parsedDocuments }));
  }

  const argo: Record<Side, Set<string>> = { base: new Set(input.argoPaths.base), head: new Set(input.argoPaths.head) };
  const renders = new Map<Side, Map<string, RootRender>>(sides.map((s) => [s, new Map()]));
  let plans: Partial<Record<Side, SidePlan>> = {};
  for (let round = 0; round < MAX_PLAN_ROUNDS; round++) {
    plans = planRender({ changed: input.changed, sides: planInputs, argoPaths: { base: [...argo.base], head: [...argo.head] }, excludes: input.excludes });
    let grew = false;
    for (const s of sides) {
      const plan = plans[s]!;
      const done = renders.get(s)!;
      for (const root of plan.roots) {
        if (done.has(root)) continue;
        const result = sessions.get(s)!.build(root);
        input.built?.(s, result.ok);
        done.set(root, { root, file: plan.graph.nodes.get(root)?.file ?? root, result });
        yield;
        if (!result.ok) continue;
        for (const r of result.resources) {
          if (r.resource.kind !== "Application") continue;
          for (const p of applicationPathsOf(r.value)) {
            if (argo[s].has(p)) continue;
            argo[s].add(p);
            grew = true;
          }
        }
      }
    }
    if (!grew) break;
  }

  // A root the head cannot render is reviewed file by file on the head; its base-side render must not be compared
  // with that (every rendered finding would look "fixed" while the applied object still has it): the base side
  // falls back to file by file for that root too.
  const headRenders = renders.get("head");
  for (const [root, r] of renders.get("base") ?? []) {
    const h = headRenders?.get(root)?.result;
    if (r.result.ok && h && !h.ok) renders.get("base")!.set(root, { ...r, result: { ok: false, reason: h.reason, files: r.result.files } });
  }

  const out: Partial<Record<Side, SideRender>> = {};
  const failedOnHead = new Set<string>();
  for (const s of [...sides].reverse()) {
    const covered = new Set<string>();
    const fallback = new Set<string>();
    const list = [...renders.get(s)!.values()].sort((a, b) => a.root.localeCompare(b.root));
    for (const r of list) {
      if (r.result.ok) for (const f of r.result.files) covered.add(f);
      else {
        for (const f of plans[s]!.graph.closure(r.root)) fallback.add(f);
        if (s === "head") failedOnHead.add(r.root);
        // A root that fails on both sides is worth one note.
        else if (failedOnHead.has(r.root)) continue;
        const where = s === "base" ? " on the base side" : "";
        notes.push(`Kustomize: ${r.root || "."} was not rendered${where} (${r.result.reason}); its changed files were reviewed one by one`);
      }
    }
    for (const r of list) if (r.result.ok) for (const n of r.result.notes) if (!notes.includes(`Kustomize: ${n}`)) notes.push(`Kustomize: ${n}`);
    if (s === "head") {
      const ok = list.filter((r) => r.result.ok).map((r) => r.root || ".");
      if (ok.length) notes.push(`Kustomize: rendered in process and judged as Argo CD applies them: ${ok.length <= 5 ? ok.join(", ") : `${ok.slice(0, 5).join(", ")} and ${ok.length - 5} more`}`);
    }
    out[s] = { renders: list, covered, fallback, text: texts.get(s)! };
  }
  return { sides: out, notes };
}
