/** `grant_type=password` (RFC 6749 §4.3): a user token for a user of the client's organization. */
import { oauthErrors } from '../errors.js';
import { grantedScopes } from '../scopes.js';
import { verifySecret } from '../secrets.js';
import { authenticateClient, type Grant, requireField } from './grant.js';

export const passwordGrant: Grant = {
  grantType: 'password',
  async handle(deps, request) {
    const client = await authenticateClient(deps, request, this.grantType, 'PASSWORD');
    const username = requireField(request, 'username');
    const password = requireField(request, 'password');
    const scopes = grantedScopes(client, request.form.scope);
    const user = await deps.store.findUserByEmail(client.organizationId, username);
    const valid = user?.passwordHash ? await verifySecret(password, user.passwordHash) : false;
    // One answer for an unknown user, a wrong password and a disabled account: nothing to probe.
    if (!user || !valid || user.state !== 'active') throw oauthErrors.invalidGrant('invalid username or password');
    return deps.issuer.issue({ client, user, scopes, grantType: this.grantType });
  },
};
