/**
 * Client authentication for the code and refresh grants: a confidential CODE client proves
 * itself with HTTP Basic; a public (PKCE) client has no secret and names itself with
 * `client_id` (RFC 6749 §3.2.1), or with a Basic header whose secret is empty, as some SDKs send.
 */
import { parseBasicAuthorization } from '../client-auth.js';
import { oauthErrors } from '../errors.js';
import type { Client } from '../models.js';
import { checkClientMayUse, type GrantDeps, type TokenRequest } from './grant.js';

export async function authenticateCodeClient(deps: GrantDeps, request: TokenRequest, grantType: string): Promise<Client> {
  const basic = parseBasicAuthorization(request.authorization);
  if (request.authorization !== undefined && !basic) throw oauthErrors.invalidClient();
  const formId = request.form.client_id || undefined;
  if (basic && formId !== undefined && formId !== basic.clientId) throw oauthErrors.invalidClient();
  const clientId = basic?.clientId ?? formId;
  if (clientId === undefined) throw oauthErrors.invalidClient();
  const known = await deps.directory.client(clientId);
  let client: Client;
  if (known && known.secretHash === null) {
    // A public client: nothing to verify, and a secret sent for it is a mistake worth refusing.
    if (basic && basic.secret !== '') throw oauthErrors.invalidClient();
    client = known;
  } else {
    if (!basic) throw oauthErrors.invalidClient();
    client = await deps.clients.authenticate(basic.clientId, basic.secret, request.address);
  }
  return checkClientMayUse(client, grantType, 'CODE');
}
