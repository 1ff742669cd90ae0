/**
 * A small GitHub-compatible API server for end-to-end tests and the benchmark. It serves exactly the
 * documented REST and GraphQL endpoints gitops-guard uses, under `/api/v3` (GitHub Enterprise layout,
 * so Probot reaches it with GHE_HOST=127.0.0.1:<port> and GHE_PROTOCOL=http), records every request,
 * and can add a fixed latency to each one.
 */
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Faults } from "./faults.js";
import { parseBlobQuery } from "./graphql.js";

export type FileTree = Record<string, string | Uint8Array>;

export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v3` prefix and query, e.g. `/repos/o/r/pulls/1/files`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** Milliseconds since the server started, when the request arrived. */
  at: number;
}

export interface FakeCheckRun {
  id: number;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string; annotations: Array<Record<string, unknown>> };
  /** Buttons on the run (`actions`). */
  actions: Array<{ label: string; description: string; identifier: string }>;
  /** Requests that changed it after creation. */
  updates: number;
}

export interface FakeComment {
  id: number;
  repo: string;
  issue_number: number;
  body: string;
  user: { login: string; type: "Bot" | "User" };
  created_at: string;
  updated_at: string;
}

export interface PullSpec {
  number: number;
  base: { ref?: string; sha: string };
  head: { ref?: string; sha: string; /** `owner/name` of a fork; default: the base repository. */ repo?: string };
  /** head path → base path, for files the PR renames. */
  renames?: Record<string, string>;
  /**
   * The PR's file list exactly as GitHub reports it (e.g. from `git diff --find-renames base...head`), instead of
   * the one derived from the two trees: `previous_filename` on renames; contents (sha, line counts) from the trees.
   */
  listed?: Array<{ filename: string; status: "added" | "removed" | "modified" | "renamed"; previous_filename?: string }>;
  /** Override `changed_files` (e.g. to simulate a PR over GitHub's listing limit). */
  changedFiles?: number;
  state?: "open" | "closed";
  draft?: boolean;
  title?: string;
  user?: string;
}

/** A repository permission as the collaborator-permission endpoint reports it. */
export type FakePermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface FakeReaction {
  id: number;
  repo: string;
  comment_id: number;
  content: string;
  user: { login: string; type: "Bot" | "User" };
}

interface PullFileEntry {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  previous_filename?: string;
  sha: string;
  additions: number;
  deletions: number;
  changes: number;
}

interface FakePull {
  spec: PullSpec;
  repo: string;
  files: PullFileEntry[];
}

export interface FakeGitHubOptions {
  /** Added before answering every request (simulates network and API latency). */
  latencyMs?: number;
  /** When set, app JWTs sent to the token endpoint must verify with this public key (PEM) and carry this app id. */
  appId?: number;
  publicKey?: string;
  /** Login of the App's bot user (author of the comments it creates). */
  botLogin?: string;
  /** Entries a recursive tree listing returns before it says `truncated: true` (GitHub: 100,000). */
  maxTreeEntries?: number;
}

const TRUNCATE_AT = 512_000;
const MAX_LISTED = 3000;

const shaMemo = new WeakMap<Buffer, string>();

/** The git object id of a blob with this content. */
export function gitBlobSha(content: string | Uint8Array): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  const memo = shaMemo.get(bytes);
  if (memo) return memo;
  const sha = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
  shaMemo.set(bytes, sha);
  return sha;
}

function toBuffer(content: string | Uint8Array): Buffer {
  return typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class FakeRepo {
  readonly id: number;
  readonly branches = new Map<string, string>();
  readonly pulls = new Map<number, FakePull>();
  /** login (lower case) → permission; anyone else has `none`. */
  readonly permissions = new Map<string, FakePermission>();

  constructor(
    private readonly gh: FakeGitHub,
    readonly fullName: string,
    readonly defaultBranch: string,
    id: number,
  ) {
    this.id = id;
  }

  get owner(): string {
    return this.fullName.split("/")[0];
  }

  get name(): string {
    return this.fullName.split("/")[1];
  }

  /** Stores a commit (a full snapshot of the tree). Commits are shared by the whole fake (forks included). */
  commit(sha: string, files: FileTree, branch?: string): string {
    const tree = new Map(Object.entries(files).map(([p, c]) => [p, toBuffer(c)] as const));
    this.gh.commits.set(sha, tree);
    for (const content of tree.values()) this.gh.blobs.set(gitBlobSha(content), content);
    if (branch) this.branches.set(branch, sha);
    return sha;
  }

  setBranch(name: string, sha: string): void {
    this.branches.set(name, sha);
  }

  addPull(spec: PullSpec): void {
    const base = this.gh.tree(spec.base.sha);
    const head = this.gh.tree(spec.head.sha);
    const renames = spec.renames ?? {};
    const renamedFrom = new Set(Object.values(renames));
    const files: PullFileEntry[] = [];
    const entry = (filename: string, status: PullFileEntry["status"], content: Buffer, extra: Partial<PullFileEntry> = {}): PullFileEntry => {
      const lines = content.toString("utf8").split("\n").length;
      return { filename, status, sha: gitBlobSha(content), additions: status === "removed" ? 0 : lines, deletions: status === "added" ? 0 : lines, changes: lines, ...extra };
    };
    if (spec.listed) {
      for (const l of spec.listed) {
        const content = l.status === "removed" ? base.get(l.filename) : head.get(l.filename);
        if (!content) throw new Error(`fake GitHub: listed file ${l.filename} is not in the ${l.status === "removed" ? "base" : "head"} commit`);
        files.push(entry(l.filename, l.status, content, l.previous_filename !== undefined ? { previous_filename: l.previous_filename } : {}));
      }
      this.pulls.set(spec.number, { spec, repo: this.fullName, files });
      return;
    }
    for (const [path, content] of head) {
      const from = renames[path];
      if (from !== undefined) files.push(entry(path, "renamed", content, { previous_filename: from }));
      else if (!base.has(path)) files.push(entry(path, "added", content));
      else if (!base.get(path)!.equals(content)) files.push(entry(path, "modified", content));
    }
    for (const [path, content] of base) {
      if (!head.has(path) && !renamedFrom.has(path)) files.push(entry(path, "removed", content));
    }
    files.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
    this.pulls.set(spec.number, { spec, repo: this.fullName, files });
  }

  /** Moves a PR's head (a push). */
  pushHead(number: number, headSha: string): void {
    const pull = this.pulls.get(number);
    if (!pull) throw new Error(`no PR #${number}`);
    // A given file list was the old head's: the new one is derived from the trees.
    const { listed: _listed, ...spec } = pull.spec;
    this.addPull({ ...spec, head: { ...spec.head, sha: headSha } });
  }

  /** A comment by someone else (or a planted one). */
  addComment(issueNumber: number, body: string, user: FakeComment["user"] = { login: "octocat", type: "User" }): FakeComment {
    return this.gh.addComment(this.fullName, issueNumber, body, user);
  }

  /** What `GET /repos/{owner}/{repo}/collaborators/{username}/permission` says about a user. */
  setPermission(login: string, permission: FakePermission): void {
    this.permissions.set(login.toLowerCase(), permission);
  }

  checkRuns(): FakeCheckRun[] {
    return this.gh.checkRuns.filter((c) => c.repo === this.fullName);
  }

  /** The newest check run with this name on a commit (what GitHub shows and branch protection reads). */
  latestCheckRun(headSha: string, name = "gitops-guard"): FakeCheckRun | undefined {
    return this.checkRuns()
      .filter((c) => c.head_sha === headSha && c.name === name)
      .at(-1);
  }

  reactions(commentId?: number): FakeReaction[] {
    return this.gh.reactions.filter((r) => r.repo === this.fullName && (commentId === undefined || r.comment_id === commentId));
  }

  comments(issueNumber: number): FakeComment[] {
    return this.gh.comments.filter((c) => c.repo === this.fullName && c.issue_number === issueNumber);
  }

  pullJson(number: number): Record<string, unknown> {
    const pull = this.pulls.get(number);
    if (!pull) throw new HttpError(404, "Not Found");
    return this.gh.pullJson(this, pull);
  }
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly commits = new Map<string, Map<string, Buffer>>();
  readonly blobs = new Map<string, Buffer>();
  readonly repos = new Map<string, FakeRepo>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: FakeComment[] = [];
  readonly reactions: FakeReaction[] = [];
  /** `org/team` (lower case) → login (lower case) → membership state. */
  readonly teams = new Map<string, Map<string, "active" | "pending">>();
  latencyMs: number;
  /** Injected failures and latency, per kind of call (see faults.ts). */
  readonly faults = new Faults();
  private readonly tokens = new Set<string>();
  private readonly started = Date.now();
  private readonly publicKey: KeyObject | null;
  private nextId = 1000;
  private server!: Server;
  private origin = "";

  private constructor(private readonly opts: FakeGitHubOptions) {
    this.latencyMs = opts.latencyMs ?? 0;
    this.publicKey = opts.publicKey ? createPublicKey(opts.publicKey) : null;
  }

  static async start(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const gh = new FakeGitHub(opts);
    gh.server = createServer((req, res) => void gh.handle(req, res));
    gh.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => gh.server.listen(0, "127.0.0.1", resolve));
    gh.origin = `http://127.0.0.1:${(gh.server.address() as AddressInfo).port}`;
    return gh;
  }

  /** `127.0.0.1:<port>`, for GHE_HOST. */
  get host(): string {
    return this.origin.replace(/^http:\/\//, "");
  }

  /** The REST base URL, for Octokit's `baseUrl`. */
  get apiUrl(): string {
    return `${this.origin}/api/v3`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  addRepo(fullName: string, opts: { defaultBranch?: string } = {}): FakeRepo {
    const repo = new FakeRepo(this, fullName, opts.defaultBranch ?? "main", this.nextId++);
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  repo(fullName: string): FakeRepo {
    const r = this.repos.get(fullName.toLowerCase());
    if (!r) throw new HttpError(404, "Not Found");
    return r;
  }

  tree(sha: string): Map<string, Buffer> {
    const t = this.commits.get(sha);
    if (!t) throw new Error(`fake GitHub: unknown commit ${sha}`);
    return t;
  }

  /** Milliseconds since the server started (the clock of `RecordedRequest.at`). */
  now(): number {
    return Date.now() - this.started;
  }

  /** Requests other than installation-token requests (what a review costs). */
  apiRequests(since = 0): RecordedRequest[] {
    return this.requests.slice(since).filter((r) => !r.path.endsWith("/access_tokens"));
  }

  /** A team membership, as `GET /orgs/{org}/teams/{team_slug}/memberships/{username}` reports it. */
  addTeamMember(org: string, teamSlug: string, login: string, state: "active" | "pending" = "active"): void {
    const key = `${org}/${teamSlug}`.toLowerCase();
    const members = this.teams.get(key) ?? new Map<string, "active" | "pending">();
    members.set(login.toLowerCase(), state);
    this.teams.set(key, members);
  }

  addComment(repo: string, issueNumber: number, body: string, user: FakeComment["user"]): FakeComment {
    const now = new Date().toISOString();
    const c: FakeComment = { id: this.nextId++, repo, issue_number: issueNumber, body, user, created_at: now, updated_at: now };
    this.comments.push(c);
    return c;
  }

  pullJson(repo: FakeRepo, pull: FakePull): Record<string, unknown> {
    const s = pull.spec;
    const headRepo = s.head.repo ? (this.repos.get(s.head.repo.toLowerCase()) ?? null) : repo;
    const repoJson = (r: FakeRepo) => ({ id: r.id, name: r.name, full_name: r.fullName, owner: { login: r.owner, type: "User" }, default_branch: r.defaultBranch, fork: r !== repo });
    return {
      url: `${this.apiUrl}/repos/${repo.fullName}/pulls/${s.number}`,
      id: s.number * 7919,
      number: s.number,
      state: s.state ?? "open",
      draft: s.draft ?? false,
      title: s.title ?? `PR ${s.number}`,
      user: { login: s.user ?? "octocat", type: "User" },
      head: { ref: s.head.ref ?? "feature", sha: s.head.sha, label: `${headRepo?.owner ?? "fork"}:${s.head.ref ?? "feature"}`, repo: headRepo ? repoJson(headRepo) : null },
      base: { ref: s.base.ref ?? repo.defaultBranch, sha: s.base.sha, label: `${repo.owner}:${s.base.ref ?? repo.defaultBranch}`, repo: repoJson(repo) },
      changed_files: s.changedFiles ?? pull.files.length,
      additions: pull.files.reduce((n, f) => n + f.additions, 0),
      deletions: pull.files.reduce((n, f) => n + f.deletions, 0),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now() - this.started;
    const url = new URL(req.url ?? "/", this.origin);
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "").replace(/\/+$/, "") || "/";
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    let body: unknown = undefined;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        body = raw.toString("utf8");
      }
    }
    const record: RecordedRequest = { method: req.method ?? "GET", path, query, body, status: 0, at };
    this.requests.push(record);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const fault = this.faults.take(record);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault?.holdUntil) await fault.holdUntil();
    let status = 200;
    let payload: unknown;
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    try {
      if (fault?.error) {
        Object.assign(headers, fault.error.headers);
        throw new HttpError(fault.error.status, fault.error.message);
      }
      const result = this.route(record, req, url, headers);
      status = result.status ?? 200;
      payload = result.body;
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      payload = { message: error instanceof Error ? error.message : String(error), documentation_url: "https://docs.github.com/rest" };
    }
    record.status = status;
    const out = typeof payload === "string" || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    res.writeHead(status, headers).end(out);
  }

  private authorize(req: IncomingMessage): void {
    const auth = req.headers.authorization ?? "";
    const token = auth.replace(/^(token|bearer)\s+/i, "");
    if (!this.tokens.has(token)) throw new HttpError(401, "Bad credentials");
  }

  private route(r: RecordedRequest, req: IncomingMessage, url: URL, headers: Record<string, string>): { status?: number; body: unknown } {
    const m = (re: RegExp) => re.exec(r.path);
    let g: RegExpExecArray | null;

    if (r.method === "POST" && (g = m(/^\/app\/installations\/(\d+)\/access_tokens$/))) {
      this.verifyAppJwt(req);
      const token = `ghs_fake${g[1]}x${this.tokens.size + 1}`;
      this.tokens.add(token);
      return {
        status: 201,
        body: { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { checks: "write", pull_requests: "write", contents: "read", issues: "write", metadata: "read" }, repository_selection: "all" },
      };
    }
    if (r.method === "POST" && (r.path === "/api/graphql" || r.path === "/graphql")) {
      this.authorize(req);
      return { body: this.graphql(r.body) };
    }
    if (r.method === "GET" && (g = m(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/))) {
      this.authorize(req);
      const [org, team, login] = [g[1], g[2], g[3]].map(decodeURIComponent);
      const state = this.teams.get(`${org}/${team}`.toLowerCase())?.get(login.toLowerCase());
      if (!state) throw new HttpError(404, "Not Found");
      return { body: { url: `${this.apiUrl}${r.path}`, role: "member", state } };
    }
    if (!r.path.startsWith("/repos/")) throw new HttpError(404, "Not Found");
    this.authorize(req);
    const rest = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(r.path);
    if (!rest) throw new HttpError(404, "Not Found");
    const repo = this.repo(`${decodeURIComponent(rest[1])}/${decodeURIComponent(rest[2])}`);
    const sub = rest[3] ?? "";
    const s = (re: RegExp) => re.exec(sub);

    if (r.method === "GET" && (g = s(/^\/contents\/(.+)$/))) return this.contents(repo, g[1].split("/").map(decodeURIComponent).join("/"), r.query.ref, req, headers);
    if (r.method === "GET" && (g = s(/^\/pulls\/(\d+)$/))) return { body: repo.pullJson(Number(g[1])) };
    if (r.method === "GET" && (g = s(/^\/pulls\/(\d+)\/files$/))) {
      const pull = repo.pulls.get(Number(g[1]));
      if (!pull) throw new HttpError(404, "Not Found");
      return this.paged(pull.files.slice(0, MAX_LISTED), r, headers, 30);
    }
    if (r.method === "GET" && sub === "/pulls") {
      const state = r.query.state ?? "open";
      const list = [...repo.pulls.values()].filter((p) => state === "all" || (p.spec.state ?? "open") === state).map((p) => this.pullJson(repo, p));
      return this.paged(list, r, headers, 30);
    }
    if (r.method === "GET" && (g = s(/^\/commits\/([0-9a-f]+)\/pulls$/))) {
      const sha = g[1];
      return { body: [...repo.pulls.values()].filter((p) => p.spec.head.sha === sha && !p.spec.head.repo).map((p) => this.pullJson(repo, p)) };
    }
    if (r.method === "GET" && (g = s(/^\/git\/trees\/([^/]+)$/))) return { body: this.treeJson(repo, decodeURIComponent(g[1]), r) };
    if (r.method === "GET" && (g = s(/^\/git\/blobs\/([0-9a-f]{40})$/))) {
      const content = this.blobs.get(g[1]);
      if (!content) throw new HttpError(404, "Not Found");
      return { body: { sha: g[1], node_id: `B_${g[1]}`, size: content.length, url: `${this.apiUrl}${r.path}`, content: content.toString("base64"), encoding: "base64" } };
    }
    if (r.method === "POST" && sub === "/check-runs") return { status: 201, body: this.createCheckRun(repo, r.body) };
    if (r.method === "PATCH" && (g = s(/^\/check-runs\/(\d+)$/))) return { body: this.updateCheckRun(repo, Number(g[1]), r.body) };
    if (r.method === "GET" && (g = s(/^\/collaborators\/([^/]+)\/permission$/))) {
      const login = decodeURIComponent(g[1]);
      const permission = repo.permissions.get(login.toLowerCase()) ?? "none";
      // GitHub's `permission` folds maintain into write and triage into read; `role_name` keeps them.
      const folded = permission === "maintain" ? "write" : permission === "triage" ? "read" : permission;
      return { body: { permission: folded, role_name: permission === "none" ? "" : permission, user: { login, type: "User" } } };
    }
    if (r.method === "POST" && (g = s(/^\/issues\/comments\/(\d+)\/reactions$/))) {
      const commentId = Number(g[1]);
      if (!this.comments.some((c) => c.id === commentId && c.repo === repo.fullName)) throw new HttpError(404, "Not Found");
      const content = (r.body as { content?: unknown } | undefined)?.content;
      if (typeof content !== "string" || !REACTIONS.has(content)) throw new HttpError(422, "Invalid reaction content");
      const reaction: FakeReaction = { id: this.nextId++, repo: repo.fullName, comment_id: commentId, content, user: { login: this.opts.botLogin ?? "gitops-guard[bot]", type: "Bot" } };
      this.reactions.push(reaction);
      return { status: 201, body: reaction };
    }
    if (r.method === "GET" && (g = s(/^\/issues\/(\d+)\/comments$/))) return this.paged(repo.comments(Number(g[1])), r, headers, 30);
    if (r.method === "POST" && (g = s(/^\/issues\/(\d+)\/comments$/))) {
      const text = commentText(r.body);
      return { status: 201, body: this.addComment(repo.fullName, Number(g[1]), text, { login: this.opts.botLogin ?? "gitops-guard[bot]", type: "Bot" }) };
    }
    if (r.method === "GET" && (g = s(/^\/issues\/comments\/(\d+)$/))) {
      const c = this.comments.find((x) => x.id === Number(g![1]) && x.repo === repo.fullName);
      if (!c) throw new HttpError(404, "Not Found");
      return { body: c };
    }
    if (r.method === "PATCH" && (g = s(/^\/issues\/comments\/(\d+)$/))) {
      const c = this.comments.find((x) => x.id === Number(g![1]) && x.repo === repo.fullName);
      if (!c) throw new HttpError(404, "Not Found");
      c.body = commentText(r.body);
      c.updated_at = new Date().toISOString();
      return { body: c };
    }
    throw new HttpError(404, "Not Found");
  }

  private verifyAppJwt(req: IncomingMessage): void {
    if (!this.publicKey) return;
    const jwt = (req.headers.authorization ?? "").replace(/^bearer\s+/i, "");
    const [h, p, sig] = jwt.split(".");
    if (!h || !p || !sig) throw new HttpError(401, "A JSON web token could not be decoded");
    const ok = verifySignature("RSA-SHA256", Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(sig, "base64url"));
    const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as { iss?: unknown };
    if (!ok || (this.opts.appId !== undefined && String(claims.iss) !== String(this.opts.appId))) throw new HttpError(401, "'Issuer' claim ('iss') must be an Integer");
  }

  private contents(repo: FakeRepo, path: string, ref: string | undefined, req: IncomingMessage, headers: Record<string, string>): { body: unknown } {
    const sha = ref ? (repo.branches.get(ref) ?? ref) : repo.branches.get(repo.defaultBranch);
    const content = sha ? this.commits.get(sha)?.get(path) : undefined;
    if (!content) throw new HttpError(404, "Not Found");
    if (/application\/vnd\.github(\.v3)?\.raw/.test(req.headers.accept ?? "")) {
      headers["content-type"] = "application/vnd.github.raw; charset=utf-8";
      return { body: content };
    }
    return { body: { type: "file", encoding: "base64", size: content.length, name: path.split("/").pop(), path, sha: gitBlobSha(content), content: content.toString("base64") } };
  }

  /**
   * `GET /repos/{o}/{r}/git/trees/{sha}`: the tree of a commit (or branch), one level, or every entry with
   * `recursive` (directories as `tree` entries, files as `blob` entries with their size), cut at `maxTreeEntries`.
   */
  private treeJson(repo: FakeRepo, ref: string, r: RecordedRequest): Record<string, unknown> {
    const sha = repo.branches.get(ref) ?? ref;
    const files = this.commits.get(sha);
    if (!files) throw new HttpError(404, "Not Found");
    const recursive = r.query.recursive !== undefined && r.query.recursive !== "0" && r.query.recursive !== "false";
    const dirs = new Set<string>();
    const entries: Array<Record<string, unknown>> = [];
    for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (dirs.has(dir) || (!recursive && i > 1)) continue;
        dirs.add(dir);
        entries.push({ path: dir, mode: "040000", type: "tree", sha: createHash("sha1").update(`tree ${dir}`).digest("hex") });
      }
      if (recursive || parts.length === 1) entries.push({ path, mode: "100644", type: "blob", sha: gitBlobSha(content), size: content.length });
    }
    const max = this.opts.maxTreeEntries ?? 100_000;
    return { sha, url: `${this.apiUrl}${r.path}`, tree: entries.slice(0, max), truncated: entries.length > max };
  }

  private paged<T>(items: readonly T[], r: RecordedRequest, headers: Record<string, string>, defaultPerPage: number): { body: T[] } {
    const perPage = Math.min(100, Math.max(1, Number(r.query.per_page ?? defaultPerPage) || defaultPerPage));
    const page = Math.max(1, Number(r.query.page ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number) => `<${this.apiUrl}${r.path}?${new URLSearchParams({ ...r.query, per_page: String(perPage), page: String(n) })}>`;
    const links: string[] = [];
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    if (links.length) headers.link = links.join(", ");
    return { body: items.slice((page - 1) * perPage, page * perPage) };
  }

  private graphql(body: unknown): unknown {
    const b = (typeof body === "object" && body !== null ? body : {}) as { query?: unknown; variables?: unknown };
    if (typeof b.query !== "string") throw new HttpError(400, "Problems parsing JSON");
    const parsed = parseBlobQuery(b.query, (b.variables ?? {}) as Record<string, unknown>);
    if (!parsed) return { data: null, errors: [{ message: "fake GitHub: unsupported query", type: "UNSUPPORTED" }] };
    const repo = this.repos.get(`${parsed.owner}/${parsed.name}`.toLowerCase());
    if (!repo) return { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: `Could not resolve to a Repository with the name '${parsed.owner}/${parsed.name}'.` }] };
    const data: Record<string, unknown> = {};
    for (const { alias, expression } of parsed.objects) {
      const colon = expression.indexOf(":");
      const tree = this.commits.get(expression.slice(0, colon));
      const path = expression.slice(colon + 1);
      const content = tree?.get(path);
      if (!content) {
        const isDir = tree ? [...tree.keys()].some((k) => k.startsWith(`${path}/`)) : false;
        data[alias] = isDir ? {} : null;
        continue;
      }
      const isBinary = content.includes(0);
      const isTruncated = content.length > TRUNCATE_AT;
      data[alias] = {
        oid: gitBlobSha(content),
        byteSize: content.length,
        isBinary,
        isTruncated,
        text: isBinary ? null : content.subarray(0, TRUNCATE_AT).toString("utf8"),
      };
    }
    return { data: { repository: data } };
  }

  private createCheckRun(repo: FakeRepo, body: unknown): FakeCheckRun {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.name !== "string" || typeof b.head_sha !== "string") throw new HttpError(422, "name and head_sha are required");
    const run: FakeCheckRun = { id: this.nextId++, repo: repo.fullName, name: b.name, head_sha: b.head_sha, status: "queued", conclusion: null, output: { annotations: [] }, actions: [], updates: 0 };
    applyCheckRunChange(run, b);
    this.checkRuns.push(run);
    return run;
  }

  private updateCheckRun(repo: FakeRepo, id: number, body: unknown): FakeCheckRun {
    const run = this.checkRuns.find((c) => c.id === id && c.repo === repo.fullName);
    if (!run) throw new HttpError(404, "Not Found");
    applyCheckRunChange(run, (body ?? {}) as Record<string, unknown>);
    run.updates++;
    return run;
  }
}

const REACTIONS = new Set(["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]);

const CONCLUSIONS = new Set(["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"]);

/** Applies a create/update body with GitHub's validation (annotations ≤ 50 a request, text ≤ 65,535). */
function applyCheckRunChange(run: FakeCheckRun, b: Record<string, unknown>): void {
  if (b.conclusion !== undefined) {
    if (typeof b.conclusion !== "string" || !CONCLUSIONS.has(b.conclusion)) throw new HttpError(422, `Invalid conclusion ${String(b.conclusion)}`);
    run.conclusion = b.conclusion;
    run.status = "completed";
  }
  if (typeof b.status === "string") {
    if (b.status === "completed" && run.conclusion === null) throw new HttpError(422, "conclusion is required when status is completed");
    run.status = b.status;
  }
  if (b.actions !== undefined) {
    const actions = b.actions as Array<Record<string, unknown>>;
    if (!Array.isArray(actions) || actions.length > 3) throw new HttpError(422, "Only 3 actions are allowed");
    for (const a of actions) {
      const ok = (v: unknown, max: number) => typeof v === "string" && v.length > 0 && v.length <= max;
      if (!ok(a.label, 20) || !ok(a.description, 40) || !ok(a.identifier, 20)) throw new HttpError(422, "Invalid action: label and identifier ≤ 20 characters, description ≤ 40");
    }
    run.actions = actions.map((a) => ({ label: String(a.label), description: String(a.description), identifier: String(a.identifier) }));
  }
  const output = b.output as Record<string, unknown> | undefined;
  if (output) {
    if (typeof output.title !== "string" || typeof output.summary !== "string") throw new HttpError(422, "output requires title and summary");
    if (output.summary.length > 65535 || (typeof output.text === "string" && output.text.length > 65535)) throw new HttpError(422, "Only 65535 characters are allowed");
    const annotations = (output.annotations ?? []) as Array<Record<string, unknown>>;
    if (annotations.length > 50) throw new HttpError(422, "Only 50 annotations are allowed per request");
    for (const a of annotations) {
      if (typeof a.path !== "string" || typeof a.start_line !== "number" || typeof a.end_line !== "number" || typeof a.message !== "string") throw new HttpError(422, "Invalid annotation");
      if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) throw new HttpError(422, "start_column and end_column may only be used on single-line annotations");
    }
    run.output = { title: output.title, summary: output.summary, ...(typeof output.text === "string" ? { text: output.text } : {}), annotations: [...run.output.annotations, ...annotations] };
  }
}

function commentText(body: unknown): string {
  const text = (body as { body?: unknown } | undefined)?.body;
  if (typeof text !== "string" || text.length === 0) throw new HttpError(422, "body is required");
  if (text.length > 65536) throw new HttpError(422, "Body is too long (maximum is 65536 characters)");
  return text;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
