/**
 * The source texts of a rendered object, joined into one text for the rules that read `file.text` (a cheap
 * "does the text mention a URL" check, a search for a value's source inside a block scalar): a value an overlay
 * patched in is in the patch's text, not in the base's. Offsets in the joined text map back to the file, line and
 * column they came from. The first file's text starts the joined text, so its line numbers are unchanged. Pure.
 */
import type { Origin } from "../kustomize/index.js";

interface Segment {
  file: string;
  /** Offset of the file's first character in the joined text. */
  start: number;
  length: number;
  /** Offsets (in the file's own text) at which each line starts. */
  lines: number[];
}

export interface SourceTexts {
  /** The files' texts, in order, each ending with a line break; null when none could be read. */
  text: string | null;
  /** Offsets [start, end) of an origin in the joined text, or null when its file is not among the texts. */
  spanOf(origin: Origin): readonly [number, number] | null;
  /** The file, line and column of an offset range of the joined text (null outside every file, or across two). */
  rangeOf(start: number, end: number): Origin | null;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) out.push(i + 1);
  return out;
}

/** The last index whose value is <= `n` in an ascending list (0 when none). */
function floorIndex(list: readonly number[], n: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]! <= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function joinSourceTexts(files: readonly string[], read: (path: string) => string | null): SourceTexts {
  const segments: Segment[] = [];
  const parts: string[] = [];
  let at = 0;
  for (const file of files) {
    const t = read(file);
    if (t === null || segments.some((s) => s.file === file)) continue;
    const own = t.endsWith("\n") ? t : `${t}\n`;
    segments.push({ file, start: at, length: own.length, lines: lineStarts(own) });
    parts.push(own);
    at += own.length;
  }
  const offset = (s: Segment, line: number, column: number): number => s.start + Math.min((s.lines[line - 1] ?? s.length) + column - 1, s.length);
  const position = (s: Segment, off: number): { line: number; column: number } => {
    const local = off - s.start;
    const i = floorIndex(s.lines, local);
    return { line: i + 1, column: local - s.lines[i]! + 1 };
  };
  return {
    text: segments.length ? parts.join("") : null,
    spanOf(origin) {
      const s = segments.find((x) => x.file === origin.file);
      return s ? [offset(s, origin.line, origin.column), offset(s, origin.endLine, origin.endColumn)] : null;
    },
    rangeOf(start, end) {
      const s = segments[floorIndex(segments.map((x) => x.start), start)];
      if (!s || start < s.start || Math.max(start, end) > s.start + s.length) return null;
      const a = position(s, start);
      const b = position(s, Math.max(start, end));
      return { file: s.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    },
  };
}
