import type { JsonPath, PathSeg } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";

export interface Leaf {
  path: JsonPath;
  /** The map key or list index the value sits under. */
  key: PathSeg;
  value: unknown;
  /** The map or list that holds the value. */
  parent: Record<string, unknown> | unknown[];
}

export interface WalkOptions {
  /** Do not descend into (or yield) this node. */
  skip?: (path: JsonPath, value: unknown) => boolean;
}

/**
 * Every scalar (non-object, non-array) value under `root`, depth-first in document order, with its path
 * (prefixed by `base`). Iterative, so deep documents cannot overflow the stack.
 */
export function leaves(root: unknown, base: JsonPath = [], opts: WalkOptions = {}): Leaf[] {
  const out: Leaf[] = [];
  type Item = { value: unknown; path: JsonPath; key: PathSeg | null; parent: Record<string, unknown> | unknown[] | null };
  const stack: Item[] = [{ value: root, path: base, key: null, parent: null }];
  const skip = opts.skip;
  while (stack.length > 0) {
    const { value, path, key, parent } = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const child: unknown = value[i];
        const childPath = [...path, i];
        if (!skip?.(childPath, child)) stack.push({ value: child, path: childPath, key: i, parent: value });
      }
    } else if (isPlainObject(value)) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const child = value[k];
        const childPath = [...path, k];
        if (!skip?.(childPath, child)) stack.push({ value: child, path: childPath, key: k, parent: value });
      }
    } else if (key !== null && parent !== null) {
      out.push({ path, key, value, parent });
    }
  }
  return out;
}

/** Skips the top-level `sops:` metadata block of a SOPS-encrypted document. */
export function skipSopsBlock(isSops: boolean): (path: JsonPath) => boolean {
  return (path) => isSops && path.length === 1 && path[0] === "sops";
}
