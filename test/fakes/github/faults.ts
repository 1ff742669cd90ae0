/**
 * Fault injection for the fake GitHub: per-route failure counts, GitHub's error answers (5xx, secondary rate
 * limits with `retry-after`), and per-route latency. A fault matches requests by the kind of call (`route`), the
 * repository they are about and an optional predicate, and is used up after `times` matching requests.
 */
import { parseBlobQuery } from "./graphql.js";

/** The kinds of calls gitops-guard makes, named after what they do. */
export type RouteName =
  | "token"
  | "graphql"
  | "check-run.create"
  | "check-run.update"
  | "pull.get"
  | "pull.files"
  | "pulls.list"
  | "commit.pulls"
  | "git.blob"
  | "contents"
  | "comments.list"
  | "comment.create"
  | "comment.update"
  | "reaction.create"
  | "permission"
  | "team-membership"
  | "other";

/** The request as the fault rules see it (the fake's RecordedRequest is structurally one). */
export interface FaultRequest {
  method: string;
  path: string;
  body: unknown;
}

const ROUTES: ReadonlyArray<[RouteName, string, RegExp]> = [
  ["token", "POST", /^\/app\/installations\/\d+\/access_tokens$/],
  ["graphql", "POST", /^\/(api\/)?graphql$/],
  ["team-membership", "GET", /^\/orgs\/[^/]+\/teams\/[^/]+\/memberships\/[^/]+$/],
  ["check-run.create", "POST", /^\/repos\/[^/]+\/[^/]+\/check-runs$/],
  ["check-run.update", "PATCH", /^\/repos\/[^/]+\/[^/]+\/check-runs\/\d+$/],
  ["pull.get", "GET", /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+$/],
  ["pull.files", "GET", /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files$/],
  ["pulls.list", "GET", /^\/repos\/[^/]+\/[^/]+\/pulls$/],
  ["commit.pulls", "GET", /^\/repos\/[^/]+\/[^/]+\/commits\/[0-9a-f]+\/pulls$/],
  ["git.blob", "GET", /^\/repos\/[^/]+\/[^/]+\/git\/blobs\/[0-9a-f]{40}$/],
  ["contents", "GET", /^\/repos\/[^/]+\/[^/]+\/contents\/.+$/],
  ["comments.list", "GET", /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/],
  ["comment.create", "POST", /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/],
  ["comment.update", "PATCH", /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/],
  ["reaction.create", "POST", /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+\/reactions$/],
  ["permission", "GET", /^\/repos\/[^/]+\/[^/]+\/collaborators\/[^/]+\/permission$/],
];

export function routeOf(r: Pick<FaultRequest, "method" | "path">): RouteName {
  for (const [name, method, re] of ROUTES) if (r.method === method && re.test(r.path)) return name;
  return "other";
}

/** `owner/name` (lower case) a request is about: from the path, or from a GraphQL blob query's `repository(...)`. */
export function repoOf(r: FaultRequest): string | null {
  const m = /^\/repos\/([^/]+)\/([^/]+)/.exec(r.path);
  if (m) return `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`.toLowerCase();
  if (routeOf(r) === "graphql") {
    const b = r.body as { query?: unknown; variables?: unknown } | undefined;
    if (typeof b?.query !== "string") return null;
    const q = parseBlobQuery(b.query, (b.variables ?? {}) as Record<string, unknown>);
    return q ? `${q.owner}/${q.name}`.toLowerCase() : null;
  }
  return null;
}

export interface FaultSpec {
  /** Which calls (one kind or several). */
  route: RouteName | readonly RouteName[];
  /** Only requests about this repository (`owner/name`, any case). */
  repo?: string;
  /** A further condition on the request. */
  when?: (r: FaultRequest) => boolean;
  /** How many matching requests it affects (default 1; Infinity: every one). */
  times?: number;
  /** The error status to answer with; without it the request is answered normally (after `latencyMs`). */
  status?: number;
  /** The error's `message` (GitHub's JSON error body). */
  message?: string;
  /** A `retry-after` header, in seconds. */
  retryAfter?: number;
  /** Held this long before answering. */
  latencyMs?: number;
  /** Held until this settles (after `latencyMs`): orders a race by events, not by timings a loaded machine breaks. */
  holdUntil?: () => Promise<unknown>;
}

/** What the fake should do with one request. */
export interface FaultAction {
  latencyMs: number;
  holdUntil: (() => Promise<unknown>) | null;
  error: { status: number; message: string; headers: Record<string, string> } | null;
}

export interface InjectedFault {
  route: RouteName;
  path: string;
  status: number | null;
}

/** GitHub's answer when an integration makes too many requests too quickly (secondary rate limit). */
export function secondaryRateLimit(extra: Omit<FaultSpec, "status" | "message"> & { status?: 403 | 429 }): FaultSpec {
  return {
    retryAfter: 1,
    ...extra,
    status: extra.status ?? 403,
    message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
  };
}

/** A server error (default 500), as GitHub answers it when something went wrong on its side. */
export function serverError(extra: Omit<FaultSpec, "message"> & { status?: number }): FaultSpec {
  return { ...extra, status: extra.status ?? 500, message: "Server Error" };
}

export class Faults {
  private readonly rules: Array<{ spec: FaultSpec; left: number }> = [];
  /** Every request a fault answered or held. */
  readonly injected: InjectedFault[] = [];

  add(spec: FaultSpec): void {
    this.rules.push({ spec, left: spec.times ?? 1 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Faults that did not affect as many requests as they could (an `Infinity` one always counts as pending). */
  pending(): FaultSpec[] {
    return this.rules.filter((r) => r.left > 0).map((r) => r.spec);
  }

  /** The first fault that matches the request and is not used up (it is then used once). */
  take(r: FaultRequest): FaultAction | null {
    const route = routeOf(r);
    let repo: string | null | undefined;
    for (const rule of this.rules) {
      if (rule.left <= 0) continue;
      const { spec } = rule;
      const routes: readonly RouteName[] = typeof spec.route === "string" ? [spec.route] : spec.route;
      if (!routes.includes(route)) continue;
      if (spec.repo !== undefined && (repo ??= repoOf(r)) !== spec.repo.toLowerCase()) continue;
      if (spec.when && !spec.when(r)) continue;
      rule.left--;
      const status = spec.status ?? null;
      this.injected.push({ route, path: r.path, status });
      return {
        latencyMs: spec.latencyMs ?? 0,
        holdUntil: spec.holdUntil ?? null,
        error:
          status === null
            ? null
            : {
                status,
                message: spec.message ?? "Server Error",
                headers: spec.retryAfter !== undefined ? { "retry-after": String(spec.retryAfter) } : {},
              },
      };
    }
    return null;
  }
}
