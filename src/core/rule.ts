import type { z } from "zod";
import type { Grant } from "./grant.js";
import type { JsonPath } from "./path.js";
import type { ImagePart, Resource, Severity, SourceRange } from "./types.js";
import type { ParsedDoc, ParsedFile } from "../parse/yaml-file.js";
import type { ReviewFacts } from "./facts.js";
import type { Config } from "./config.js";
import type { DirectoryRead } from "./argocd-directory-reads.js";

export interface RuleMeta {
  /** Public id, `<domain>/<kebab-name>`; never renamed. */
  id: string;
  title: string;
  /** Default severity; a finding may report a different one where RULES.md says so. */
  severity: Severity;
  /** What the rule detects, one or two sentences (RULES.md "detect" column). */
  description: string;
  /** Why it matters. */
  rationale: string;
  /** How to fix it; ends with a period. */
  fix: string;
  /** False for rules that are off until configured (e.g. image/untrusted-registry). */
  enabledByDefault?: boolean;
  /** True for rules that apply only to files under the `production` globs. */
  productionOnly?: boolean;
  /**
   * True for rules that judge what the repository holds, whatever Argo CD applies: a credential leaks by being
   * committed. They also judge the documents of a manifest no kustomization reads (which other rules leave alone).
   */
  judgesCommittedContent?: boolean;
  /**
   * Ids of rules whose finding on the same value this rule's finding stands for (one cause, one finding): a finding
   * of one of them whose source range holds a finding of this rule is dropped from the review, and this rule's
   * finding takes the higher severity of the two (see core/subsume.ts).
   */
  subsumes?: readonly string[];
  /** A short YAML example that triggers the rule, and its fixed form (for docs and `explain`). */
  example?: { bad: string; good: string };
}

/** Settings rules may read: the parts of the repository config that change rule behaviour. */
export interface RuleSettings {
  argocdNamespace: string;
  platformProjects: readonly string[];
  allowedRegistries: readonly string[];
  productionRegistries: readonly string[];
  /** `rules.<id>.options` as the rule's `options` schema parsed them (defaults applied); `{}` for rules without one. Read with `ruleOptions`. */
  options: Readonly<Record<string, unknown>>;
  /** The `ecr:` policy knobs (thresholds, allowlist…); absent: the defaults. */
  ecr?: Readonly<Config["ecr"]>;
}

export interface Report {
  /** JSON path of the offending node inside the document. */
  path: JsonPath;
  message: string;
  /** Defaults to the rule's severity. */
  severity?: Severity;
  /** Defaults to the rule's fix hint. */
  fix?: string;
  /** Point at the key instead of the value (default: value for scalars, key for collections). */
  target?: "value" | "key";
  /**
   * For a finding about one part of an image reference at `path` (its registry and repository, its tag, its
   * digest): a rendered image a Kustomize `images:` override rewrote is then reported where that part was written
   * (`newName`, `newTag`, `digest`, or the base line the override left it on), not at the override's most specific
   * line. No effect on a file judged alone. Default: the whole value.
   */
  part?: ImagePart;
  /** An explicit source range (for findings in comments or raw text); `path` is still recorded. */
  range?: SourceRange;
  /** Overrides the resource (for file-level findings); defaults to the document's resource. */
  resource?: Resource;
  /**
   * The path that identifies the finding in its fingerprint, when `path` moves with what is set: a container's
   * missing resources are reported at `resources` once some are set and at the container before, but an overlay
   * that sets a memory limit does not make the finding for the CPU request still missing a new one. Default: `path`.
   */
  identity?: JsonPath;
  /**
   * One cause, one finding: the id of the rule whose finding stands for this one on the same object (a privileged
   * container's escalation, left to k8s/privileged-container). Such a finding is never shown, counted or blocking; the
   * review keeps it only to match the other side, so that a pull request that makes the other rule fire does not
   * report this one `fixed`, and one that stops it does not report this one `new`. A rule's own id: an exemption (a
   * token a bound ServiceAccount's pods use on purpose) hides the finding, kept only to match the other side in the
   * same way.
   */
  deferredTo?: string;
  /**
   * What the entry the finding is on grants (see grant.ts): a new finding whose grant the base version of the object
   * already held (`*` narrowed to one namespace) is existing.
   */
  grant?: Grant;
  /**
   * For the rules that judge committed content: digests of the credential values the finding reports
   * (`credentialDigest`, never the values), so that the review sees a value committed anywhere on the other side as
   * still committed. In memory only: never in an output, a fingerprint or a log.
   */
  valueDigests?: readonly string[];
}

/** The repository's tree on a document's side: what an ApplicationSet's git generators would read. */
export interface TreeView {
  /** Every file of the tree (repository-relative POSIX paths). */
  paths: readonly string[];
  /** Whether a `repoURL` names the repository under review (see core/repository.ts `ownRepoURL`); absent: every one does. */
  ownRepoURL?: (repoURL: unknown) => boolean;
}

export interface DocContext {
  doc: ParsedDoc;
  file: ParsedFile;
  settings: RuleSettings;
  isProduction: boolean;
  /** Facts gathered from outside the repository before evaluation (e.g. ECR scans); absent when none were gathered. */
  facts?: ReviewFacts;
  /** The repository's tree on the document's side, when the review has one (a repository view); absent: judged without. */
  tree?: TreeView;
  report(r: Report): void;
}

/** For rules that read the whole file text (comments included), e.g. credential formats. */
export interface FileContext {
  file: ParsedFile;
  settings: RuleSettings;
  isProduction: boolean;
  /** The document that contains a character offset, if any (to attach resource and path). */
  docAt(offset: number): ParsedDoc | null;
  report(r: Report & { range: SourceRange; docIndex: number }): void;
}

/** For rules about what a change removes (e.g. a deleted Application): sees both sides of the review. */
export interface DiffContext {
  /** Documents of the changed files as they were on the base side (file names as on the base side). */
  baseDocs: readonly ParsedDoc[];
  /** Documents of the changed files as they are on the head side. */
  headDocs: readonly ParsedDoc[];
  /** True when some changed file's head side could not be read (parse error or skipped template): what looks
   * deleted may only be unreadable, so rules about removals should stay silent. */
  headIncomplete: boolean;
  settings: RuleSettings;
  /**
   * Each side's tree with its files' texts, when the review has a repository view (what an ApplicationSet's git
   * generators read on that side); absent: judged without.
   */
  trees?: Partial<Record<"base" | "head", TreeView & { readFile(path: string): string | null }>>;
  /**
   * Documents of files the change leaves as they are that the review read on both sides (files named for
   * ApplicationSets): the same object on both sides, though what it generates may differ with the trees. Reports
   * against them go to `report` like base-side documents.
   */
  unchangedDocs?: readonly ParsedDoc[];
  /**
   * The directory-type sources of the Applications each side's review knows (see argocd-directory-reads.ts), computed
   * when asked: which Application reads an Argo CD object's file on each side. Absent: not known.
   */
  directoryReads?: (side: "base" | "head") => readonly DirectoryRead[];
  /** Reports against a base-side document (the line is in the base file). */
  report(doc: ParsedDoc, r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * The schema of `rules.<id>.options` (a zod object whose fields are optional or defaulted, each with a description
   * for the docs). Validated when the config is loaded (a bad option is a ConfigError naming its key); rules without
   * a schema take no options.
   */
  options?: z.ZodType<Readonly<Record<string, unknown>>>;
  checkDoc?(ctx: DocContext): void;
  checkFile?(ctx: FileContext): void;
  checkDiff?(ctx: DiffContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** A rule's options, typed by its schema: the engine parsed `rules.<id>.options` with this same schema. */
export function ruleOptions<S extends z.ZodType>(_schema: S, settings: RuleSettings): z.output<S> {
  return settings.options as z.output<S>;
}
