/**
 * The rules of roles and groups, written once for the doors that make them (the seed file and
 * the command line): what a permission string is, what a name is. Each returns the problem in
 * words, or null; the door names the field its own way (`--permission`, `roles[0].permissions[1]`).
 */

/** A name of a role or group: as the seed schema allows (1 to 200 characters), and not blank. */
export const NAME_LENGTH = { min: 1, max: 200 } as const;

export function nameProblem(name: string): string | null {
  if (name.trim() === '') return 'must not be empty';
  if (name.length > NAME_LENGTH.max) return `must be at most ${NAME_LENGTH.max} characters`;
  return null;
}

/** One part of `domain:entity:action`: letters, digits, `_` or `-`, or `*` for any (permissions.ts). */
const PART = /^(?:\*|[A-Za-z0-9_-]+)$/;

/**
 * A permission is `*` or `domain:entity:action`, each part a word or `*` (permissionMatches
 * compares part by part, so anything else would match nothing, or match by accident).
 */
export function permissionProblem(permission: string): string | null {
  if (permission === '*') return null;
  const parts = permission.split(':');
  if (parts.length === 3 && parts.every((part) => PART.test(part))) return null;
  return `${JSON.stringify(permission)} is not a permission: expected domain:entity:action (each a word or *), or *`;
}

/** The index and problem of the first bad permission, or null. */
export function permissionsProblem(permissions: readonly string[]): { index: number; problem: string } | null {
  for (const [index, permission] of permissions.entries()) {
    const problem = permissionProblem(permission);
    if (problem) return { index, problem };
  }
  return null;
}
