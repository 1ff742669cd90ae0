/**
 * The source texts of a rendered object, joined into one text for the rules that read `file.text` (a cheap
 * "does the text mention a URL" check, a search for a value's source inside a block scalar): a value an overlay
 * patched in is in the patch's text, not in the base's. Offsets in the joined text map back to the file, line and
 * column they came from. The first file's text starts the joined text, so its line numbers are unchanged. Pure.
 */
import type { Origin } from "../kustomize/index.js";
import { floorIndex, lineStarts } from "../parse/line-starts.js";

interface Segment {
  file: string;
  /** Offset of the file's first character in the joined text. */
  start: number;
  text: string;
  /** Offsets (in the file's own text) at which each line starts; computed when first needed. */
  lines: number[] | null;
}

export interface SourceTexts {
  /** The files' texts, in order (joined with line breaks); null when none could be read. */
  text: string | null;
  /** Offsets [start, end) of an origin in the joined text, or null when its file is not among the texts. */
  spanOf(origin: Origin): readonly [number, number] | null;
  /** The file, line and column of an offset range of the joined text (null outside every file, or across two). */
  rangeOf(start: number, end: number): Origin | null;
}

function linesOf(s: Segment): number[] {
  s.lines ??= lineStarts(s.text);
  return s.lines;
}

export function joinSourceTexts(files: readonly string[], read: (path: string) => string | null): SourceTexts {
  const segments: Segment[] = [];
  let at = 0;
  for (const file of files) {
    const text = read(file);
    if (text === null || segments.some((s) => s.file === file)) continue;
    // Each file after the first starts on a line of its own.
    if (segments.length > 0 && !segments[segments.length - 1]!.text.endsWith("\n")) at += 1;
    segments.push({ file, start: at, text, lines: null });
    at += text.length;
  }
  const joined = segments.length === 0 ? null : segments.length === 1 ? segments[0]!.text : segments.map((s) => (s.text.endsWith("\n") ? s.text : `${s.text}\n`)).join("");
  const offset = (s: Segment, line: number, column: number): number => s.start + Math.min((linesOf(s)[line - 1] ?? s.text.length) + column - 1, s.text.length);
  const position = (s: Segment, off: number): { line: number; column: number } => {
    const lines = linesOf(s);
    const local = off - s.start;
    const i = floorIndex(lines, local);
    return { line: i + 1, column: local - lines[i]! + 1 };
  };
  return {
    text: joined,
    spanOf(origin) {
      const s = segments.find((x) => x.file === origin.file);
      return s ? [offset(s, origin.line, origin.column), offset(s, origin.endLine, origin.endColumn)] : null;
    },
    rangeOf(start, end) {
      const s = segments[floorIndex(segments.map((x) => x.start), start)];
      if (!s || start < s.start || Math.max(start, end) > s.start + s.text.length) return null;
      const a = position(s, start);
      const b = position(s, Math.max(start, end));
      return { file: s.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    },
  };
}
