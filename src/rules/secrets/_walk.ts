import type { JsonPath, PathSeg } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";

export interface WalkOptions {
  /** Do not descend into (or yield) this node. */
  skip?: (path: JsonPath, value: unknown) => boolean;
}

/**
 * What `eachLeaf` shows of one scalar. `path` is the walk's own array, changed as the walk moves on: read it during
 * the call, and copy it (`[...path]`) to keep it.
 */
export type LeafVisitor = (path: readonly PathSeg[], key: PathSeg, value: unknown, parent: Record<string, unknown> | unknown[]) => void;

/** A map or list being walked, and how far. */
interface Frame {
  node: Record<string, unknown> | unknown[];
  /** The map's keys (null for a list). */
  keys: string[] | null;
  next: number;
}

function frameOf(node: Record<string, unknown> | unknown[]): Frame {
  return { node, keys: Array.isArray(node) ? null : Object.keys(node), next: 0 };
}

/**
 * Every scalar (non-object, non-array) value under `root`, depth-first in document order, with its path (prefixed by
 * `base`), handed to `visit` one by one: no list of them, and no path array or object per node. The secrets rules
 * walk every value of many documents and keep almost none: only a value they report needs its path copied.
 * Iterative, so deep documents cannot overflow the stack.
 */
export function eachLeaf(root: unknown, visit: LeafVisitor, base: JsonPath = [], opts: WalkOptions = {}): void {
  if (!Array.isArray(root) && !isPlainObject(root)) return;
  const skip = opts.skip;
  // One slot per open map or list: the key being visited in it (pushed and popped with the frames; a truncation of
  // `path.length` per value would cost more than the walk).
  const path: PathSeg[] = [...base, 0];
  const frames: Frame[] = [frameOf(root)];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const keys = frame.keys;
    const size = keys === null ? (frame.node as unknown[]).length : keys.length;
    if (frame.next >= size) {
      frames.pop();
      path.pop();
      continue;
    }
    const key: PathSeg = keys === null ? frame.next : keys[frame.next]!;
    frame.next++;
    const child: unknown = keys === null ? (frame.node as unknown[])[key as number] : (frame.node as Record<string, unknown>)[key];
    path[path.length - 1] = key;
    if (skip?.(path, child)) continue;
    if (Array.isArray(child) || isPlainObject(child)) {
      frames.push(frameOf(child));
      path.push(0);
    } else visit(path, key, child, frame.node);
  }
}

/** Skips the top-level `sops:` metadata block of a SOPS-encrypted document. */
export function skipSopsBlock(isSops: boolean): (path: JsonPath) => boolean {
  return (path) => isSops && path.length === 1 && path[0] === "sops";
}
