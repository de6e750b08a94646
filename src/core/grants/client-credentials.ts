/** `grant_type=client_credentials` (RFC 6749 §4.4): a token for the client itself, no user. */
import { authenticateClient, type Grant } from './grant.js';

export const clientCredentialsGrant: Grant = {
  grantType: 'client_credentials',
  async handle(deps, request) {
    const client = await authenticateClient(deps, request, this.grantType, 'CLIENT-CREDENTIALS');
    return deps.issuer.issue({ client, user: null, scopes: [], grantType: this.grantType, familyId: null });
  },
};
