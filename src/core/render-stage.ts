/**
 * The render stage of a review (DESIGN 2b): builds the Kustomize roots a change reaches, on each side, in
 * process, from the repository view. A root that cannot be rendered becomes a note, and the changed files it
 * reads are reviewed one by one as before. Pure and synchronous; every file comes from the view.
 */
import type { Document } from "yaml";
import { applicationSourcesOf, createRenderSession, renderedNode, type ApplicationSource, type BuildResult, type RenderSession } from "../kustomize/index.js";
import type { ParsedFile } from "../parse/yaml-file.js";
import { applicationPathsOf, contentText, kustomizationInput, planRender, type SidePlan, type SidePlanInput } from "./render-plan.js";
import { sideTree, type FileContent, type RepositoryView, type Side } from "./repository.js";
import { runSteps, type Steps } from "./steps.js";

export interface RootRender {
  root: string;
  /** The root's kustomization file. */
  file: string;
  result: BuildResult;
  /**
   * What the render is called in notes and findings: the root, and for a render with an Application's `kustomize`
   * overrides applied, the Application(s) too.
   */
  label: string;
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
  /**
   * Sources (with their `kustomize` overrides, see argocd-overrides.ts) of the changed Applications that may carry
   * overrides, per side; each is one of `argoPaths`. A root gets one render per distinct override set, and the plain
   * render only when some Application points at it without overrides, or none is known.
   */
  applications?: Record<Side, ApplicationSource[]>;
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
  const pointers: Record<Side, Pointers> = { base: new Map(), head: new Map() };
  const reached = new Set<string>();
  for (const s of ["base", "head"] as const) {
    for (const p of input.argoPaths[s]) pointerAt(pointers[s], p).plain++;
    for (const source of input.applications?.[s] ?? []) {
      if (!source.edit) continue;
      pointerAt(pointers[s], source.path).plain--;
      addSource(pointers[s], source);
      reached.add(source.path);
    }
  }
  const renders = new Map<Side, Map<string, RootRender>>(sides.map((s) => [s, new Map()]));
  let plans: Partial<Record<Side, SidePlan>> = {};
  for (let round = 0; round < MAX_PLAN_ROUNDS; round++) {
    plans = planRender({ changed: input.changed, sides: planInputs, argoPaths: { base: [...argo.base], head: [...argo.head] }, reached: [...reached], excludes: input.excludes });
    let grew = false;
    for (const s of sides) {
      const plan = plans[s]!;
      const done = renders.get(s)!;
      for (const root of plan.roots) {
        for (const variant of variantsOf(pointers[s].get(root))) {
          const key = variant ? `${root}\u0000${variant.edit.key}` : root;
          if (done.has(key)) continue;
          const result = sessions.get(s)!.build(root, variant?.edit);
          input.built?.(s, result.ok);
          const label = variant ? `${root || "."} with the kustomize overrides of Application ${[...variant.apps].sort().join(", ")}` : root || ".";
          done.set(key, { root, file: plan.graph.nodes.get(root)?.file ?? root, result, label });
          yield;
          if (!result.ok) continue;
          for (const r of result.resources) {
            if (r.resource.kind !== "Application") continue;
            const node = renderedNode(r);
            const sources = node ? applicationSourcesOf(node, r.definedAt.file) : [];
            for (const source of sources) {
              if (source.edit) addSource(pointers[s], source);
              else pointerAt(pointers[s], source.path).plain = Math.max(1, pointerAt(pointers[s], source.path).plain);
            }
            for (const p of node ? sources.map((x) => x.path) : applicationPathsOf(r.value)) {
              if (argo[s].has(p)) continue;
              argo[s].add(p);
              grew = true;
            }
          }
        }
      }
    }
    if (!grew) break;
  }
  // A plain render made before Applications found in later rounds said that every one pointing at the root has
  // overrides is not what Argo CD applies: it goes.
  for (const s of sides) {
    const done = renders.get(s)!;
    for (const [key, r] of done) if (key === r.root && !variantsOf(pointers[s].get(r.root)).includes(null)) done.delete(key);
  }

  // A root the head cannot render is reviewed file by file on the head; its base-side render must not be compared
  // with that (every rendered finding would look "fixed" while the applied object still has it): the base side
  // falls back to file by file for that root too.
  const headFailures = new Map<string, string>();
  for (const r of renders.get("head")?.values() ?? []) if (!r.result.ok && !headFailures.has(r.root)) headFailures.set(r.root, r.result.reason);
  for (const [key, r] of renders.get("base") ?? []) {
    const reason = headFailures.get(r.root);
    if (r.result.ok && reason !== undefined) renders.get("base")!.set(key, { ...r, result: { ok: false, reason, files: r.result.files } });
  }

  const out: Partial<Record<Side, SideRender>> = {};
  const failedOnHead = new Set<string>();
  for (const s of [...sides].reverse()) {
    const covered = new Set<string>();
    const fallback = new Set<string>();
    const list = [...renders.get(s)!.values()].sort((a, b) => a.root.localeCompare(b.root) || a.label.localeCompare(b.label));
    for (const r of list) {
      if (r.result.ok) for (const f of r.result.files) covered.add(f);
      else {
        for (const f of plans[s]!.graph.closure(r.root)) fallback.add(f);
        if (s === "head") failedOnHead.add(r.label);
        // A root that fails on both sides is worth one note.
        else if (failedOnHead.has(r.label)) continue;
        const where = s === "base" ? " on the base side" : "";
        notes.push(`Kustomize: ${r.label} was not rendered${where} (${r.result.reason}); its changed files were reviewed one by one`);
      }
    }
    for (const r of list) if (r.result.ok) for (const n of r.result.notes) if (!notes.includes(`Kustomize: ${n}`)) notes.push(`Kustomize: ${n}`);
    if (s === "head") {
      const ok = list.filter((r) => r.result.ok).map((r) => r.label);
      if (ok.length) notes.push(`Kustomize: rendered in process and judged as Argo CD applies them: ${ok.length <= 5 ? ok.join(", ") : `${ok.slice(0, 5).join(", ")} and ${ok.length - 5} more`}`);
    }
    out[s] = { renders: list, covered, fallback, text: texts.get(s)! };
  }
  return { sides: out, notes };
}

/** The Applications known on a side to point at a directory: how many without overrides, and each distinct override set. */
interface Pointer {
  plain: number;
  edits: Map<string, { edit: NonNullable<ApplicationSource["edit"]>; apps: Set<string> }>;
}

type Pointers = Map<string, Pointer>;

function pointerAt(pointers: Pointers, path: string): Pointer {
  let p = pointers.get(path);
  if (!p) pointers.set(path, (p = { plain: 0, edits: new Map() }));
  return p;
}

function addSource(pointers: Pointers, source: ApplicationSource): void {
  if (!source.edit) return;
  const edits = pointerAt(pointers, source.path).edits;
  const known = edits.get(source.edit.key);
  if (known) known.apps.add(source.application);
  else edits.set(source.edit.key, { edit: source.edit, apps: new Set([source.application]) });
}

/**
 * The renders of a root: one per distinct override set of the Applications pointing at it, plus the plain render
 * (null) when an Application points at it without overrides or none with overrides is known (a root by the graph
 * alone is rendered plain, as before). Ordered by override key, so both sides list them alike.
 */
function variantsOf(pointer: Pointer | undefined): Array<{ edit: NonNullable<ApplicationSource["edit"]>; apps: ReadonlySet<string> } | null> {
  if (!pointer || pointer.edits.size === 0) return [null];
  const edited = [...pointer.edits.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return pointer.plain > 0 ? [null, ...edited] : edited;
}
