/**
 * The end of a successful authorization: a signed-in person approved the request, so the
 * browser goes back to the client with a code (RFC 6749 §4.1.2) or an access token in the
 * fragment (implicit, §4.2.2). Codes are stored only hashed, live {@link CODE_SECONDS}, and
 * remember the session so that signing out ends what they yield.
 */
import type { Clock } from '../clock.js';
import type { TokenIssuer } from '../issuer.js';
import { hashToken, newToken } from '../secrets.js';
import type { LiveSession } from '../sign-in/sessions.js';
import type { SignInPort } from '../ports/sign-in-port.js';
import type { AuthorizeRequest } from './request.js';
import { withParams } from './redirect-uri.js';
import { AuthorizeError, type ErrorRedirect } from './authorize-error.js';
import { OAuthError } from '../errors.js';

/** CONTRACT.md (ours): at most 5 minutes, where RFC 6749 §4.1.2 allows 10. */
export const CODE_SECONDS = 300;

export interface CompleteDeps {
  store: SignInPort;
  clock: Clock;
  issuer: TokenIssuer;
}

/** Issues the code or token and returns where to send the browser. */
export async function completeAuthorization(deps: CompleteDeps, request: AuthorizeRequest, signedIn: LiveSession): Promise<string> {
  const { client } = request;
  const { user } = signedIn;
  if (request.responseType === 'code') {
    const code = newToken();
    const now = deps.clock.now();
    await deps.store.insertCode({
      hash: hashToken(code),
      clientId: client.id,
      userId: user.id,
      organizationId: client.organizationId,
      sessionHash: signedIn.session.hash,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      codeChallenge: request.codeChallenge,
      issuedAt: now,
      expiresAt: now + CODE_SECONDS * 1000,
      consumedAt: null,
      familyId: null,
    });
    return withParams(request.redirectUri, { code, state: request.state }, 'query');
  }
  // Implicit: the token travels in the fragment, so no refresh token (RFC 6749 §4.2.2).
  const issued = await deps.issuer.issue({ client, user, scopes: request.scopes, grantType: 'implicit' }).catch((error: unknown) => {
    // The client's issuance limit: back to the client as RFC 6749 §4.2.2.1 says, not as JSON to the browser.
    if (error instanceof OAuthError && error.status === 429) {
      throw new AuthorizeError(error.error, error.message, { uri: request.redirectUri, mode: 'fragment', state: request.state });
    }
    throw error;
  });
  if (issued.familyId !== null) await deps.store.linkSessionFamily(signedIn.session.hash, issued.familyId);
  return withParams(
    request.redirectUri,
    { access_token: issued.accessToken, expires_in: String(issued.expiresIn), token_type: 'bearer', state: request.state },
    'fragment',
  );
}

/** Where an error goes back to the client: `error` and `error_description` (RFC 6749 §4.1.2.1). */
export function errorRedirectUri(redirect: ErrorRedirect, error: string, description: string): string {
  return withParams(redirect.uri, { error, error_description: description, state: redirect.state }, redirect.mode);
}
