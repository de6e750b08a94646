/**
 * What a role or group write tells this process's caches, so that holders of a changed role
 * and members of a changed group are judged anew from their next request. A server passes its
 * authenticator through {@link dropHoldersOnChange}: only the holders' and members' cached
 * principals go (Authenticator's targeted drops). Other processes and nodes learn of
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

type TargetedDrops = { roleChanged(roleId: string): void; userChanged(userId: string): void; clientChanged(clientId: string): void };

/** Drops what a role or group change affects, and nothing else, from a server's caches. */
export function dropHoldersOnChange(cache: TargetedDrops): DirectoryChanges {
  return {
    roleChanged: (roleId, holders) => {
      cache.roleChanged(roleId);
      for (const userId of holders.userIds) cache.userChanged(userId);
      for (const clientId of holders.clientIds) cache.clientChanged(clientId);
    },
    groupChanged: (_groupId, userIds) => {
      for (const userId of userIds) cache.userChanged(userId);
    },
  };
}
