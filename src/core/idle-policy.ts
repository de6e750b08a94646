/**
 * Which idle timeout applies to a token (CONTRACT.md, "IdleTokenTimeout", Semantics).
 * - Group bundles apply while `inactivityTimeoutGroupsEnabled` is on, to users in their groups;
 *   where a user is in several bundles the lowest `priority` number wins (ours).
 * - Everyone else gets the organization-wide value while `enableIdleTokenTimeout` is on.
 * - Client-credentials tokens have no user, so only the organization-wide value can apply.
 */
import type { IdleTokenTimeout, User } from './models.js';

/** The idle timeout in seconds for a token of `user` (null: client credentials), or null for none. */
export function effectiveIdleSeconds(policy: IdleTokenTimeout, user: User | null): number | null {
  if (user && policy.inactivityTimeoutGroupsEnabled) {
    const groups = new Set(user.groupIds);
    const bundles = policy.inactivityTimeoutGroupBundles
      .filter((bundle) => bundle.groups.some((group) => groups.has(group)))
      .sort((a, b) => a.priority - b.priority);
    if (bundles[0]) return bundles[0].timeoutSeconds;
  }
  return policy.enableIdleTokenTimeout ? policy.idleTokenTimeoutSeconds : null;
}
