/**
 * What a role or group write tells this process's caches, so that holders of a changed role
 * and members of a changed group are judged anew from their next request. A server passes its
 * authenticator through {@link dropAllOnChange} today; a targeted drop (only the holders' cached
 * principals) plugs in here without touching the admin core. Other processes and nodes learn of
 * the change from the store (SQLite's data_version, PostgreSQL's NOTIFY triggers on roles,
 * user_roles, client_roles, directory_groups and group_members).
 */

/** Who held a role or belonged to a group when it changed: the principals whose cache must go. */
export interface Holders {
  userIds: readonly string[];
  clientIds: readonly string[];
}

export interface DirectoryChanges {
  /** A role's permissions, name or existence changed; `holders` held it before the change. */
  roleChanged(roleId: string, holders: Holders): void;
  /** A group's members, name or existence changed; `userIds` are its members before and after. */
  groupChanged(groupId: string, userIds: readonly string[]): void;
}

/** The whole-cache drop every write does today (Authenticator.invalidate). */
export function dropAllOnChange(cache: { invalidate(): void }): DirectoryChanges {
  return { roleChanged: () => cache.invalidate(), groupChanged: () => cache.invalidate() };
}
