/**
 * Repository permission levels, lowest first: GitHub's model, which the config speaks too
 * (`commands.waiveRequires`) and slash-command authorization compares against.
 */
export const PERMISSIONS = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export function permissionAtLeast(have: Permission, need: Permission): boolean {
  return PERMISSIONS.indexOf(have) >= PERMISSIONS.indexOf(need);
}
