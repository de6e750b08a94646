/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5): a code from
 * `/oauth/authorize` for tokens. Single use: the store's {@link SignInPort.consumeCode} lets exactly
 * one redemption win, and any later one revokes what the code yielded (RFC 6749 §4.1.2).
 * A code that fails a check is used up too, so a wrong verifier cannot be retried.
 */
import { createHash } from 'node:crypto';
import { oauthErrors, type OAuthError } from '../errors.js';
import { effectiveIdleSeconds } from '../idle-policy.js';
import type { AuthorizationCode, Client, User } from '../models.js';
import { constantTimeEqual, hashToken } from '../secrets.js';
import type { SignInPort } from '../ports/sign-in-port.js';
import { isPublic } from '../client-caller.js';
import { authenticateClient, type Grant, type GrantDeps, requireField } from './grant.js';

const USER_ENDED = 'the user of this code cannot sign in';

// RFC 7636 §4.1: 43 to 128 unreserved characters.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export const authorizationCodeGrant: Grant = {
  grantType: 'authorization_code',
  async handle(deps, request) {
    // The code is read first: whether its client must send its secret depends on it.
    const hash = request.form.code ? hashToken(request.form.code) : null;
    const stored = hash === null ? null : await deps.store.findCode(hash);
    // CONTRACT.md, the PKCE row: a code issued to this client with a challenge is redeemed by its
    // verifier (checked below) and client_id, whether the client has a secret or not.
    const client = await authenticateClient(deps, request, this.grantType, 'CODE', {
      withoutSecret: (named) => isPublic(named) || (stored?.clientId === named.id && stored.codeChallenge !== null),
      nobodyWithoutSecret: false,
    });
    requireField(request, 'code');
    const redirectUri = requireField(request, 'redirect_uri');
    const verifier = request.form.code_verifier || undefined;
    if (!stored || hash === null) throw oauthErrors.invalidGrant('authorization code is invalid');
    if (stored.consumedAt !== null) throw await replayed(deps, stored);
    const now = deps.clock.now();
    const user = await deps.store.findUser(stored.userId);
    const problem = checkCode(stored, client, redirectUri, verifier, now) ?? (await checkSignIn(deps.store, stored, user, now));
    if (problem || !user) {
      await deps.store.consumeCode(hash, now, null, []);
      throw problem ?? oauthErrors.invalidGrant(USER_ENDED);
    }
    const organization = await deps.store.findOrganization(client.organizationId);
    // CONTRACT.md: while the idle timeout applies, the code grant issues no refresh token.
    const withRefreshToken = organization !== null && effectiveIdleSeconds(organization.idleTokenTimeout, user) === null;
    const { issued, records } = deps.issuer.mint({ client, user, scopes: stored.scopes, grantType: this.grantType, withRefreshToken, codeHash: hash });
    if (!(await deps.store.consumeCode(hash, now, issued.familyId, records))) {
      // Disabled since the checks above: the code is used up and nothing was issued.
      const ended = await deps.issuer.accessEnded(client, user, USER_ENDED);
      if (ended) throw ended;
      // Lost a race to another redemption of the same code: that is a replay too.
      throw await replayed(deps, (await deps.store.findCode(hash)) ?? stored);
    }
    deps.issuer.countIssued(this.grantType, client);
    return issued;
  },
};

function checkCode(code: AuthorizationCode, client: Client, redirectUri: string, verifier: string | undefined, now: number): OAuthError | null {
  if (now >= code.expiresAt) return oauthErrors.invalidGrant('authorization code has expired');
  if (code.clientId !== client.id) return oauthErrors.invalidGrant('authorization code was issued to another client');
  if (code.redirectUri !== redirectUri) return oauthErrors.invalidGrant('redirect_uri does not match the authorization request');
  if (code.codeChallenge === null) {
    return verifier === undefined ? null : oauthErrors.invalidGrant('code_verifier was sent for a code issued without code_challenge');
  }
  if (verifier === undefined) return oauthErrors.invalidGrant('code_verifier is required for this code');
  if (!VERIFIER.test(verifier)) return oauthErrors.invalidGrant('code_verifier is malformed');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (!constantTimeEqual(Buffer.from(challenge), Buffer.from(code.codeChallenge)))
    return oauthErrors.invalidGrant('code_verifier does not match code_challenge');
  return null;
}

/** The person must still be active and signed in: signing out or being disabled ends pending codes. */
async function checkSignIn(store: SignInPort, code: AuthorizationCode, user: User | null, now: number): Promise<OAuthError | null> {
  if (!user || user.state !== 'active') return oauthErrors.invalidGrant(USER_ENDED);
  if (code.sessionHash !== null) {
    const session = await store.findSession(code.sessionHash);
    if (!session || session.revokedAt !== null || now >= session.expiresAt) return oauthErrors.invalidGrant('the sign-in that approved this code has ended');
  }
  return null;
}

/** A second redemption: revoke every token the code yielded, including refresh rotations. */
async function replayed(deps: GrantDeps, code: AuthorizationCode): Promise<OAuthError> {
  await deps.store.revokeCodeTokens(code.hash, deps.clock.now());
  if (code.familyId !== null) await deps.authenticator.revokeFamily(code.familyId, 'code_replay');
  return oauthErrors.invalidGrant('authorization code was already used; the tokens issued from it are revoked');
}
