import type { JsonPath } from "../../core/path.js";
import type { SourceRange } from "../../core/types.js";
import type { DocContext, Report } from "../../core/rule.js";
import type { ParsedDoc, ParsedFile } from "../../parse/yaml-file.js";

/**
 * A bare monitoring configuration file (`alertmanager.yml`, `alertmanager-config.yaml`, `prometheus.yml`): what a
 * configMapGenerator or a chart's `--set-file` mounts as the program's own config, its receivers' keys and scrape
 * configs' passwords in plain text. Its program's name, or null for any other file name.
 */
export function monitoringConfigOf(path: string): "Alertmanager" | "Prometheus" | null {
  const m = /(?:^|\/)(alertmanager|prometheus)(?:[-_.][^/]*)?\.ya?ml$/i.exec(path);
  return m ? (m[1]!.toLowerCase() === "alertmanager" ? "Alertmanager" : "Prometheus") : null;
}

/**
 * An example, sample or template file (`secret.example.yaml`, `samples/`, `templates/secret.yaml`): what it holds is
 * shown to be replaced, not applied as it is.
 */
const EXAMPLE_FILE = /(?:^|[/._-])(?:examples?|samples?|templates?|tmpl|tpl)(?:[/._-]|$)/i;

/** Whether a file is an example, sample or template (see `EXAMPLE_FILE`), not content applied as written. */
export function isExampleFile(path: string): boolean {
  return EXAMPLE_FILE.test(path);
}

/** `Secret "ns/name"`, `ConfigMap "name"`, or the document class for objects without kind/name. */
export function describeDoc(doc: ParsedDoc): string {
  const { kind, namespace, name } = doc.resource;
  if (kind) return name ? `${kind} "${namespace ? `${namespace}/` : ""}${name}"` : kind;
  if (doc.class === "helm-values") return "Helm values file";
  // (A map: a file holding one bare token is no program's configuration, whatever its name.)
  const program = doc.class === "other" && typeof doc.value === "object" && doc.value !== null && !Array.isArray(doc.value) ? monitoringConfigOf(doc.file) : null;
  if (program !== null) return `${program} configuration file`;
  if (doc.class === "kustomization") return "Kustomization";
  return "YAML document";
}

/**
 * The exact range of `needle` inside the source of the scalar at `path` (e.g. one line of a multi-line
 * config block, or the URL inside a longer string), or undefined when it cannot be found verbatim (escaped
 * quoting): the finding then points at the whole scalar.
 */
export function rangeWithin(file: ParsedFile, doc: ParsedDoc, path: JsonPath, needle: string, occurrence = 0): SourceRange | undefined {
  if (needle === "") return undefined;
  return rangesWithin(file, doc, path, Array.from({ length: occurrence + 1 }, () => needle))[occurrence];
}

/**
 * The ranges of several needles, in source order, inside the scalar at `path`: each is searched after the previous
 * one, in the scalar's own text only (so repeated identical lines take their turn, and nothing outside is read).
 * After the first needle that cannot be found verbatim, the rest are undefined too.
 */
export function rangesWithin(file: ParsedFile, doc: ParsedDoc, path: JsonPath, needles: readonly string[]): Array<SourceRange | undefined> {
  const text = file.text;
  if (!text || needles.length === 0) return needles.map(() => undefined);
  const [start, end] = doc.spanOf(path);
  const scalar = text.slice(start, end);
  let at = 0;
  let lost = false;
  return needles.map((needle) => {
    const i = lost || needle === "" ? -1 : scalar.indexOf(needle, at);
    if (i < 0) {
      lost ||= needle !== "";
      return undefined;
    }
    at = i + needle.length;
    return doc.rangeOf(start + i, start + at);
  });
}

/** Whether a file has any local tag at all: read once per file, so files without one never locate values for it. */
const taggedFiles = new WeakMap<ParsedFile, boolean>();
function hasTags(file: ParsedFile): boolean {
  let tagged = taggedFiles.get(file);
  if (tagged === undefined) taggedFiles.set(file, (tagged = file.text !== null && /(?:^|[\s:[{,-])![A-Za-z_]/.test(file.text)));
  return tagged;
}

/**
 * True when the scalar at `path` carries a local YAML tag (`!secret db_password`, `!env_var TOKEN`,
 * `!vault |`): the application resolves it, so the plain value the parser returns is a reference.
 */
export function hasLocalTag(file: ParsedFile, doc: ParsedDoc, path: JsonPath): boolean {
  const text = file.text;
  if (!text || !hasTags(file)) return false;
  const [start] = doc.spanOf(path);
  // Only the text just before the value: a tag sits right in front of it (and a long line is not read again per value).
  const from = Math.max(0, start - 128);
  const before = text.slice(Math.max(from, text.lastIndexOf("\n", start - 1) + 1), start);
  return /(^|[\s:[{,-])![A-Za-z_][\w-]{0,64}\s{1,16}$/.test(before);
}

/**
 * The document that contains a character offset, else the first one after it (a leading comment belongs to the
 * document it precedes), else the last; found by binary search over the documents' spans (they are in text order).
 */
export function owningDoc(docs: readonly ParsedDoc[], offset: number): ParsedDoc | null {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (docs[mid]!.span[1] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return docs[lo] ?? docs[docs.length - 1] ?? null;
}

/** At most this many findings of one rule in one document; the rest are counted in one more finding. */
export const MAX_FINDINGS_PER_DOC = 100;

/**
 * Reports through a document context, at most MAX_FINDINGS_PER_DOC times; `finish` adds one finding that counts the
 * rest. Locating a finding costs a walk of its map, so an unbounded number of findings in one large map (40,000
 * `passwordN:` keys) would make a file quadratic to review; a list that long is one problem anyway.
 */
export class CappedReports {
  private reported = 0;
  private more = 0;

  constructor(
    private readonly ctx: DocContext,
    /** What the findings are, plural, for the summary: "literal secret values". */
    private readonly what: string,
  ) {}

  /** False once the cap is reached: further candidates are only counted (callers skip costly checks). */
  get open(): boolean {
    return this.reported < MAX_FINDINGS_PER_DOC;
  }

  report(r: Report): void {
    if (this.open) {
      this.reported++;
      this.ctx.report(r);
    } else this.more++;
  }

  /** Counts a finding that is past the cap without building it. */
  count(): void {
    this.more++;
  }

  finish(): void {
    if (this.more === 0) return;
    this.ctx.report({
      path: [],
      message: `${describeDoc(this.ctx.doc)} has ${this.more} more ${this.what} beyond the first ${MAX_FINDINGS_PER_DOC} reported.`,
    });
  }
}
