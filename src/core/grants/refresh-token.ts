/**
 * `grant_type=refresh_token` (RFC 6749 §6) with rotation (RFC 9700 §4.14.2): every use returns a
 * new refresh token and retires the old one. The store's {@link Store.rotateRefreshToken} lets
 * exactly one of N racing uses win; any other use of a retired token is taken as theft and
 * revokes the whole family, including what the winner just received.
 */
import { oauthErrors } from '../errors.js';
import { effectiveIdleSeconds } from '../idle-policy.js';
import { hashToken } from '../secrets.js';
import { isPublic } from '../client-caller.js';
import { authenticateClient, type Grant, type GrantDeps, requireField } from './grant.js';

const USER_ENDED = 'the user of this refresh token cannot sign in';

export const refreshTokenGrant: Grant = {
  grantType: 'refresh_token',
  async handle(deps, request) {
    // A public client refreshes with its id alone (RFC 6749 §6); one with a secret sends it.
    const client = await authenticateClient(deps, request, this.grantType, 'CODE', { withoutSecret: isPublic, nobodyWithoutSecret: false });
    const hash = hashToken(requireField(request, 'refresh_token'));
    const record = await deps.store.findTokenByHash(hash);
    // Another client's refresh token is treated as unknown, and left alone.
    if (!record || record.kind !== 'refresh' || record.clientId !== client.id || record.userId === null) {
      throw oauthErrors.invalidGrant('refresh token is invalid');
    }
    if (record.revokedAt !== null) throw await reused(deps, record.familyId);
    const now = deps.clock.now();
    if (now >= record.expiresAt) throw oauthErrors.invalidGrant('refresh token has expired');
    const [user, organization] = await Promise.all([deps.store.findUser(record.userId), deps.store.findOrganization(client.organizationId)]);
    if (!user || user.state !== 'active' || !organization) throw oauthErrors.invalidGrant(USER_ENDED);
    if (effectiveIdleSeconds(organization.idleTokenTimeout, user) !== null) {
      throw oauthErrors.invalidGrant('refresh tokens are not accepted while an idle token timeout applies');
    }
    const { issued, records } = deps.issuer.mint({
      client,
      user,
      scopes: record.scopes,
      grantType: record.grantType,
      withRefreshToken: true,
      ...(record.familyId !== null ? { familyId: record.familyId } : {}),
      codeHash: record.codeHash,
    });
    if (!(await deps.store.rotateRefreshToken(hash, now, records))) {
      // Disabled since the checks above: nothing was rotated, and this is no reuse.
      throw (await deps.issuer.accessEnded(client, user, USER_ENDED)) ?? (await reused(deps, record.familyId));
    }
    deps.issuer.countIssued(this.grantType, client);
    return issued;
  },
};

async function reused(deps: GrantDeps, familyId: string | null) {
  if (familyId !== null) await deps.authenticator.revokeFamily(familyId, 'refresh_reuse');
  return oauthErrors.invalidGrant('refresh token was already used or revoked; its sign-in is ended');
}
