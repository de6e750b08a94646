/**
 * Changing a user's state. Disabling is immediate (issue 4) and holds (issue 13): the store ends
 * the user's sessions and revokes every token in the same transaction as the change, so enabling
 * the user later brings none of them back, and this process drops its cached users and tokens,
 * so the very next request with any of them fails. Other processes see the store's change
 * version move.
 */
import type { Authenticator } from './authenticator.js';
import type { Clock } from './clock.js';
import type { UserState } from './models.js';
import type { Store, UserAccessEnded } from '../store/store.js';

/** What the change ended (nothing when enabling), or null when there is no such user. */
export async function setUserState(
  deps: { store: Store; clock: Clock; authenticator: Authenticator },
  userId: string,
  state: UserState,
): Promise<UserAccessEnded | null> {
  const ended = await deps.store.setUserState(userId, state, deps.clock.now());
  if (ended) deps.authenticator.invalidate();
  return ended;
}
