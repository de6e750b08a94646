/**
 * Ending everyone's access at once: for a store restored from a backup, which brings back every
 * token, refresh family and sign-in session revoked after the backup was taken (and the
 * authorization codes redeemed since). docs/operations.md, "Backups", says when to use it.
 */
import type { AdminPort, UserAccessEnded } from '../ports/admin-port.js';
import type { Authenticator } from '../authenticator.js';
import type { Clock } from '../clock.js';

export interface AllAccessDeps {
  store: AdminPort;
  clock: Clock;
  /** This process's caches, where it has some (a server): everything in them goes. */
  authenticator?: Pick<Authenticator, 'invalidate'>;
}

/** Revokes every live token, ends every sign-in session and burns every unredeemed code, in one transaction. */
export async function endAllAccess(deps: AllAccessDeps): Promise<UserAccessEnded> {
  const ended = await deps.store.endAllAccess(deps.clock.now());
  deps.authenticator?.invalidate();
  return ended;
}
