/**
 * Changing a user's state. Disabling is immediate (issue 4): the user's sessions end, every
 * token is revoked, and this process drops its cached users and tokens, so the very next
 * request with any of them fails. Other processes see the store's change version move.
 */
import type { Authenticator } from './authenticator.js';
import type { Clock } from './clock.js';
import type { UserState } from './models.js';
import type { Store } from '../store/store.js';

export async function setUserState(
  deps: { store: Store; clock: Clock; authenticator: Authenticator },
  userId: string,
  state: UserState,
): Promise<boolean> {
  const now = deps.clock.now();
  if (!(await deps.store.setUserState(userId, state, now))) return false;
  if (state !== 'active') {
    await deps.store.endUserSessions(userId, now);
    await deps.authenticator.revokeUserTokens(userId);
  }
  deps.authenticator.invalidate();
  return true;
}
