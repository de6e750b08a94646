/**
 * RFC 7009 token revocation (CONTRACT.md, "Standard OAuth endpoints"): a client revokes its own
 * access or refresh tokens. Anything else (an unknown token, another client's, one already
 * revoked or expired) changes nothing, and the caller cannot tell it apart (RFC 7009 §2.2).
 *
 * A token ends with its sign-in, as `DELETE /api/v2/tokens/me` ends it: the token, then its
 * family (the access and refresh tokens of one sign-in across rotations), which RFC 7009 §2.1
 * asks for a refresh token and allows for an access token. Through the {@link Authenticator},
 * so the token is refused here at once and on the other nodes within the revocation bound.
 */
import type { Authenticator } from './authenticator.js';
import type { Clock } from './clock.js';
import type { Client } from './models.js';
import { hashToken } from './secrets.js';
import type { TokensPort } from './ports/tokens-port.js';

export interface RevocationDeps {
  store: TokensPort;
  clock: Clock;
  authenticator: Authenticator;
}

/** Revokes `rawToken` if it is a live token of `caller`; returns whether it did. */
export async function revoke({ store, clock, authenticator }: RevocationDeps, caller: Client, rawToken: string): Promise<boolean> {
  const hash = hashToken(rawToken);
  const record = await store.findTokenByHash(hash);
  if (!record || record.clientId !== caller.id) return false;
  if (record.revokedAt !== null || clock.now() >= record.expiresAt) return false;
  // One revocation counted (RFC 7009 ends the token and its sign-in together).
  await authenticator.revokeToken(hash, 'oauth_revoke');
  if (record.familyId !== null) await authenticator.revokeFamily(record.familyId, null);
  return true;
}

/** `POST /oauth/revoke`'s one operation, bound to the ports the services were wired with (services.ts). */
export class Revocation {
  readonly #deps: RevocationDeps;

  constructor(deps: RevocationDeps) {
    this.#deps = deps;
  }

  /** Revokes `rawToken` if it is a live token of `caller`; returns whether it did. */
  revoke(caller: Client, rawToken: string): Promise<boolean> {
    return revoke(this.#deps, caller, rawToken);
  }
}
