import { PERMISSIONS, permissionAtLeast, type Permission } from "../core/permission.js";
import { httpStatus, type GitHubClient, type RepoRef } from "./client.js";

/** The reactions GitHub offers on a comment. */
export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** GitHub's `permission` field, or the role name (`role_name` may say `maintain`/`triage`); unknown → none. */
export function toPermission(value: string | null | undefined): Permission {
  const v = (value ?? "").toLowerCase();
  if (v === "pull") return "read";
  if (v === "push") return "write";
  return (PERMISSIONS as readonly string[]).includes(v) ? (v as Permission) : "none";
}

/**
 * A user's permission on a repository: `GET /repos/{owner}/{repo}/collaborators/{username}/permission`.
 * `role_name` names maintain/triage (which `permission` folds into write/read); the higher of the two
 * counts (a custom role name counts as nothing, so `permission` decides). A user GitHub does not know
 * (404) has no permission.
 */
export async function permissionOf(octokit: GitHubClient, repo: RepoRef, username: string): Promise<Permission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    const byRole = toPermission(data.role_name);
    const base = toPermission(data.permission);
    return permissionAtLeast(byRole, base) ? byRole : base;
  } catch (error) {
    if (httpStatus(error) === 404) return "none";
    throw error;
  }
}

/** `org/team` → that org's team; a bare `team` slug is a team of `defaultOrg` (the repository's owner). */
export function teamRef(team: string, defaultOrg: string): { org: string; team_slug: string } | null {
  const t = team.trim().replace(/^@/, "");
  const parts = t.split("/");
  if (parts.length === 1 && parts[0]) return { org: defaultOrg, team_slug: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { org: parts[0], team_slug: parts[1] };
  return null;
}

/**
 * Whether the user is an active member of one of the teams:
 * `GET /orgs/{org}/teams/{team_slug}/memberships/{username}` (`state: active`; pending invitations do not
 * count; 404 = not a member, or no such team). Other errors are thrown (the caller says it could not check).
 */
export async function isTeamMember(octokit: GitHubClient, defaultOrg: string, username: string, teams: readonly string[]): Promise<boolean> {
  for (const team of teams) {
    const ref = teamRef(team, defaultOrg);
    if (!ref) continue;
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ ...ref, username });
      if (data.state === "active") return true;
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
  }
  return false;
}

/** Reacts to a comment: `POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions`. */
export async function reactToComment(octokit: GitHubClient, repo: RepoRef, commentId: number, content: Reaction): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content });
}
