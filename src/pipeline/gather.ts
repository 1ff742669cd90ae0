import type { FileChange, FileContent } from "../core/review.js";
import type { Policy } from "../core/policy.js";
import type { ChangedFile, FileVersion, FileVersionRequest } from "./types.js";

interface Planned {
  change: ChangedFile;
  baseKey?: string;
  headKey?: string;
}

export interface FetchPlan {
  planned: Planned[];
  requests: FileVersionRequest[];
}

/**
 * Which file versions to read: only sides the policy may review (YAML files and `paths.include`, minus
 * `paths.exclude`; `.json` files, reviewed when they are Kubernetes manifests) — the head of added/modified/renamed files, the base of modified/renamed/removed
 * ones (a renamed file's base is read at its previous path).
 */
export function planFetch(files: readonly ChangedFile[], policy: Policy, shas: { base: string; head: string }): FetchPlan {
  const planned: Planned[] = [];
  const requests: FileVersionRequest[] = [];
  for (const f of files) {
    const status = f.status;
    const basePath = status === "renamed" && f.previousPath ? f.previousPath : f.path;
    const wantHead = status !== "removed" && policy.mayReview(f.path);
    const wantBase = status !== "added" && policy.mayReview(basePath);
    if (!wantHead && !wantBase) continue;
    const p: Planned = { change: { path: f.path, status, ...(status === "renamed" ? { previousPath: basePath } : {}) } };
    if (wantHead) {
      p.headKey = `head:${f.path}`;
      requests.push({ key: p.headKey, commitSha: shas.head, path: f.path });
    }
    if (wantBase) {
      p.baseKey = `base:${basePath}`;
      requests.push({ key: p.baseKey, commitSha: shas.base, path: basePath });
    }
    planned.push(p);
  }
  return { planned, requests };
}

/**
 * What the parser sees. An oversized blob is not downloaded and nothing of its size is allocated: it is unread
 * content, which the parser reports as over the size limit (`limit` is the limit it was not read under).
 */
function toContent(c: FileVersion | undefined, maxBytes: number): FileContent | undefined {
  if (!c) return undefined;
  switch (c.kind) {
    case "text":
      return c.text;
    case "bytes":
      return c.bytes;
    case "oversized":
      return { unread: "too-large", byteSize: c.byteSize, limit: maxBytes };
    case "missing":
      return undefined;
  }
}

/** FileChanges with contents, plus a note for every changed file that could not be read at the head. */
export function assemble(plan: FetchPlan, contents: ReadonlyMap<string, FileVersion>, headSha: string, maxBytes: number): { changes: FileChange[]; notes: string[] } {
  const changes: FileChange[] = [];
  const notes: string[] = [];
  for (const p of plan.planned) {
    const head = p.headKey ? toContent(contents.get(p.headKey), maxBytes) : undefined;
    const base = p.baseKey ? toContent(contents.get(p.baseKey), maxBytes) : undefined;
    if (p.headKey && head === undefined) {
      // Not readable at the head (the PR moved on during the review?): reviewing only its base would
      // wrongly report its findings as fixed.
      notes.push(`${p.change.path}: not found at ${headSha.slice(0, 7)} (the pull request changed during the review?); it was not reviewed`);
      continue;
    }
    if (head === undefined && base === undefined) continue;
    changes.push({ ...p.change, ...(base !== undefined ? { base } : {}), ...(head !== undefined ? { head } : {}) });
  }
  return { changes, notes };
}
