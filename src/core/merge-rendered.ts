/**
 * One finding per source line: a base line reached through several overlays gives one finding per overlay inside
 * the engine (each with its own fingerprint and status), and one finding in the report, naming the overlays.
 * Pure.
 */
import type { RenderScope } from "./fingerprint.js";
import type { Finding } from "./types.js";

type Internal = Finding & { renderScope?: RenderScope };

/** Roots named in a message before "and N more". */
const NAMED_ROOTS = 3;

/** Roots as a message names them (`.` for the repository's), the first few, then how many more. */
export function rootList(roots: readonly string[]): string {
  const shown = roots.slice(0, NAMED_ROOTS).map((r) => r || ".");
  const more = roots.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/**
 * The display key: same rule, same source range, same side of the review, same suppression, same severity. Not the
 * JSON path: an overlay that adds a container before the base's shifts the base container's index, not its line. The
 * severity, because a rule may weigh the same line differently per overlay (an in-cluster destination is critical
 * where a patch points the Application at Argo CD's namespace): merged, the overlay that sorts first would lend its
 * lower severity to the other and the review could pass. (A group is split by identity when one object has two
 * findings in it: see `lanes`.)
 */
function groupKey(f: Internal): string {
  const side = f.status === "fixed" ? "fixed" : "head";
  return [f.ruleId, f.file, f.line, f.column, f.endLine, f.endColumn, side, f.suppressed?.by ?? "", f.severity].join("\u0000");
}

const identityOf = (f: Internal): string => f.renderScope?.identity ?? f.identity ?? f.path;

/**
 * A group as one finding, or one per identity inside the object (`containers[name="web"]`) when one rendered object has
 * findings of two identities in it: a line that reaches two containers of an object (a patch that deletes the pod's
 * securityContext) is two findings, one per container; a line that reaches one container in each of several objects
 * (an `images:` entry) stays one finding naming the objects.
 */
function lanes(group: Internal[]): Internal[][] {
  const seen = new Map<string, string>();
  let split = false;
  for (const f of group) {
    if (!f.renderScope) continue;
    const object = `${f.renderScope.root}\u0000${f.renderScope.resourceKey}`;
    const was = seen.get(object);
    if (was !== undefined && was !== identityOf(f)) split = true;
    seen.set(object, identityOf(f));
  }
  if (!split) return [group];
  const byIdentity = new Map<string, Internal[]>();
  for (const f of group) {
    const lane = byIdentity.get(identityOf(f));
    if (lane) lane.push(f);
    else byIdentity.set(identityOf(f), [f]);
  }
  // A lane of a file reviewed one by one alone (no rendered member) joins the first lane: it only weighs in on status.
  const out = [...byIdentity.values()];
  const rendered = out.filter((l) => l.some((f) => f.renderScope));
  const loose = out.filter((l) => !l.some((f) => f.renderScope)).flat();
  if (loose.length) rendered[0]!.push(...loose);
  return rendered;
}

/**
 * Merges rendered findings that share a source range. A finding of a file reviewed one by one (it stands for a root
 * that did not render, see review.ts) joins the rendered findings at its range, if any, so a base line is one finding
 * whether one of its overlays rendered and another fell back; other findings of a file's own documents are left as
 * they are. The merged finding is `new` when any member is; it keeps the message, resource and fingerprint of the
 * overlay that sorts first among those with its status, says which overlays render it (`renderedFrom`, and a message
 * suffix every report shows), and drops the engine-internal render scope.
 */
export function mergeRenderedFindings(findings: readonly Internal[]): Finding[] {
  const renderedKeys = new Set<string>();
  for (const f of findings) if (f.renderScope) renderedKeys.add(groupKey(f));
  const groups = new Map<string, Internal[]>();
  const out: Array<Finding | Internal[]> = [];
  for (const f of findings) {
    const key = renderedKeys.size === 0 ? "" : groupKey(f);
    if (!f.renderScope && !renderedKeys.has(key)) {
      out.push(f);
      continue;
    }
    const group = groups.get(key);
    if (group) group.push(f);
    else {
      const fresh = [f];
      groups.set(key, fresh);
      out.push(fresh);
    }
  }
  return out.flatMap((entry) => (Array.isArray(entry) ? lanes(entry).map(mergeGroup) : [entry]));
}

function mergeGroup(group: Internal[]): Finding {
  // Rendered members only sort: those of a file reviewed one by one (no render scope) only weigh in on the status.
  const sorted = group.filter((f) => f.renderScope).sort((a, b) => a.renderScope!.root.localeCompare(b.renderScope!.root) || a.fingerprint.localeCompare(b.fingerprint));
  const roots = [...new Set(sorted.map((f) => f.renderScope!.label ?? f.renderScope!.root))];
  const status = sorted[0]!.status === "fixed" ? "fixed" : group.some((f) => f.status === "new") ? "new" : "existing";
  // The overlay that sorts first among those whose finding has that status: a new finding reads as the overlay that
  // makes it new (its resource, e.g. `shop-eu`, and fingerprint), not as one where it already was.
  const first = sorted.find((f) => f.status === status) ?? sorted[0]!;
  const { renderScope: _scope, ...rest } = first;
  const via = roots.length === 1 ? `rendered from ${rootList(roots)}` : `rendered from ${roots.length} overlays: ${rootList(roots)}`;
  // One line may reach several objects of a root (a patch with a target selector): the message names the first one,
  // the suffix says how many it reaches.
  const objects = [...new Set(sorted.map((f) => f.renderScope!.resourceKey.replace(/\/\//, "/")))];
  const perRoot = new Map<string, Set<string>>();
  for (const f of sorted) {
    const set = perRoot.get(f.renderScope!.root) ?? new Set<string>();
    perRoot.set(f.renderScope!.root, set.add(f.renderScope!.resourceKey));
  }
  // So may it across roots: objects written apart (a component's sidecar in the carts Deployment of one overlay and
  // the orders Deployment of another; held-out round 24), not one base object under each overlay's prefix.
  const writtenApart = new Set(sorted.map((f) => f.renderScope!.written ?? f.renderScope!.resourceKey)).size > 1;
  const reach = writtenApart || [...perRoot.values()].some((set) => set.size > 1) ? `; ${objects.length} objects: ${rootList(objects)}` : "";
  return { ...rest, status, message: `${first.message} [Kustomize: ${via}${reach}]`, renderedFrom: roots };
}

/**
 * A `fixed` rendered finding at a file other roots read too, roots this review did not render (the pull request left
 * them alone) or could not (`failed`: a remote base, a plugin): it is fixed where it was rendered from, and those roots
 * apply that file as before (or in a way this review cannot tell). Its message says so, so that `fixed` at a shared
 * base line does not read as "gone from the repository". `readers`: the head side's roots that read a file;
 * `rendered`: the roots the head side rendered.
 */
export function withUnrenderedReaders(findings: readonly Finding[], readers: (file: string) => readonly string[], rendered: ReadonlySet<string>, failed: ReadonlySet<string> = new Set()): Finding[] {
  return findings.map((f) => {
    if (f.status !== "fixed" || !f.renderedFrom) return f;
    const from = new Set(f.renderedFrom);
    const others = readers(f.file).filter((r) => !rendered.has(r) && !from.has(r));
    if (others.length === 0) return f;
    const close = f.message.lastIndexOf("]");
    if (close < 0) return f;
    const untouched = others.filter((r) => !failed.has(r));
    const unrendered = others.filter((r) => failed.has(r));
    const reads = (roots: string[]): string => `${rootList(roots)} ${roots.length === 1 ? "reads" : "read"} this file too`;
    const also = [
      ...(untouched.length > 0 ? [`${reads(untouched)}, unchanged by this pull request`] : []),
      ...(unrendered.length > 0 ? [`${reads(unrendered)} (not rendered here: see the notes)`] : []),
    ].map((s) => `; ${s}`).join("");
    return { ...f, message: `${f.message.slice(0, close)}${also}${f.message.slice(close)}` };
  });
}
