/**
 * Source text and positions. A node of a rendered object points into a `SourceFile` by character offsets; the
 * 1-based line/column is computed only when someone asks (most values are never reported).
 *
 * Text embedded in another file (an inline patch written as a `|` block in kustomization.yaml) is its own
 * `SourceFile` whose positions are mapped back to the enclosing file, so origins name the line a person edits.
 */
import { floorIndex, lineStarts } from "../parse/line-starts.js";
import type { Origin } from "./types.js";

/** Maps a 1-based (line, column) of the embedded text to the enclosing file. */
export type PositionMap = (line: number, column: number) => readonly [number, number];

export class SourceFile {
  /** Offsets where each line starts, made when a position is first asked for. */
  private lines: number[] | null = null;

  constructor(
    /** Repository-relative POSIX path of the file a person edits (the enclosing file for embedded text). */
    readonly path: string,
    readonly text: string,
    private readonly map: PositionMap | null = null,
  ) {}

  private lineIndex(): number[] {
    this.lines ??= lineStarts(this.text);
    return this.lines;
  }

  /**
   * The same file read from a rewritten text (see attachDetachedBlockHeaders): slices are of that text, positions are
   * of this one, through `toOriginal`.
   */
  withText(text: string, toOriginal: (offset: number) => number): SourceFile {
    const read = new SourceFile(this.path, text, this.map);
    read.rewrittenFrom = { original: this, toOriginal };
    return read;
  }

  /** Set on a file read from a rewritten text: where its offsets are in the original. */
  private rewrittenFrom: { original: SourceFile; toOriginal: (offset: number) => number } | null = null;

  /** 1-based line and column of a character offset (in this text, before mapping). */
  position(offset: number): readonly [number, number] {
    if (this.rewrittenFrom) return this.rewrittenFrom.original.position(this.rewrittenFrom.toOriginal(offset));
    // As the `yaml` package's LineCounter.linePos answers (a negative offset is on line 0), without copying the index.
    if (offset < 0) return [0, offset];
    const starts = this.lineIndex();
    const i = floorIndex(starts, offset);
    return [i + 1, offset - starts[i]! + 1];
  }

  /** Character offset where a 1-based line starts (the text length past the end). */
  lineStart(line: number): number {
    const starts = this.lineIndex();
    return line - 1 < starts.length ? starts[line - 1]! : this.text.length;
  }

  origin(start: number, end: number): Origin {
    if (this.rewrittenFrom) return this.rewrittenFrom.original.origin(this.rewrittenFrom.toOriginal(start), this.rewrittenFrom.toOriginal(end));
    let [line, column] = this.position(start);
    let [endLine, endColumn] = this.position(Math.max(start, end));
    if (this.map) {
      [line, column] = this.map(line, column);
      [endLine, endColumn] = this.map(endLine, endColumn);
    }
    return { file: this.path, line, column, endLine, endColumn };
  }
}

/** Where a value came from: a span of a source file. */
export interface Src {
  readonly f: SourceFile;
  readonly s: number;
  readonly e: number;
}

export function src(f: SourceFile, s: number, e: number): Src {
  return { f, s, e };
}

export function toOrigin(at: Src): Origin {
  return at.f.origin(at.s, at.e);
}

/**
 * The embedded text of a YAML scalar (an inline patch) as a `SourceFile` mapped into the enclosing file.
 * Literal/folded blocks map line by line (the block's indentation added back); a one-line quoted or plain
 * scalar maps by column; anything else maps every position to the scalar's start.
 */
export function embeddedSource(
  outer: SourceFile,
  value: string,
  scalarStart: number,
  scalarType: string | undefined,
): SourceFile {
  const [startLine, startCol] = outer.position(scalarStart);
  if (scalarType === "BLOCK_LITERAL" || scalarType === "BLOCK_FOLDED") {
    // The content starts on the line after the header; its indentation is that of the first non-empty line.
    const firstContentLine = startLine + 1;
    let indent = 0;
    for (let l = firstContentLine; ; l++) {
      const a = outer.lineStart(l);
      if (a >= outer.text.length) break;
      const lineEnd = outer.text.indexOf("\n", a);
      const lineText = outer.text.slice(a, lineEnd < 0 ? undefined : lineEnd);
      if (lineText.trim() === "") continue;
      indent = lineText.length - lineText.trimStart().length;
      break;
    }
    if (scalarType === "BLOCK_LITERAL") {
      return new SourceFile(outer.path, value, (line, col) => [firstContentLine + line - 1, col + indent]);
    }
    return new SourceFile(outer.path, value, () => [firstContentLine, indent + 1]);
  }
  if (!value.includes("\n")) {
    const shift = scalarType === "QUOTE_DOUBLE" || scalarType === "QUOTE_SINGLE" ? 1 : 0;
    return new SourceFile(outer.path, value, (_line, col) => [startLine, startCol + shift + col - 1]);
  }
  return new SourceFile(outer.path, value, () => [startLine, startCol]);
}
