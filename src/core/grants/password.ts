/** `grant_type=password` (RFC 6749 §4.3): a user token for a user of the client's organization. */
import { OAuthError, oauthErrors, SignInRefusedError, SlowHashBusyError } from '../errors.js';
import { grantedScopes } from '../scopes.js';
import type { User } from '../models.js';
import { authenticateClient, type Grant, type GrantDeps, requireField } from './grant.js';

/** One answer for every bad credential, a disabled user's included. */
const INVALID_CREDENTIALS = 'invalid username or password';

export const passwordGrant: Grant = {
  grantType: 'password',
  async handle(deps, request) {
    const client = await authenticateClient(deps, request, this.grantType, 'PASSWORD');
    const username = requireField(request, 'username');
    const password = requireField(request, 'password');
    const scopes = grantedScopes(client, request.form.scope);
    const user = await verify(deps, { organizationId: client.organizationId, email: username, address: request.address }, password);
    return deps.issuer.issue({ client, user, scopes, grantType: this.grantType, userEnded: INVALID_CREDENTIALS });
  },
};

/** The sign-in page's check and throttle; one answer for every bad credential. */
async function verify(deps: GrantDeps, attempt: Parameters<GrantDeps['credentials']['verify']>[0], password: string): Promise<User> {
  try {
    return await deps.credentials.verify(attempt, password);
  } catch (error) {
    if (error instanceof SlowHashBusyError) throw oauthErrors.busy(error.retryAfterSeconds);
    if (!(error instanceof SignInRefusedError)) throw error;
    if (error.retryAfterSeconds === null) throw oauthErrors.invalidGrant(INVALID_CREDENTIALS);
    throw new OAuthError(400, 'invalid_grant', error.message, { 'Retry-After': String(error.retryAfterSeconds) });
  }
}
