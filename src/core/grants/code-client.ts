/**
 * Client authentication for the code and refresh grants. A CODE client proves itself with HTTP
 * Basic and its secret. Without a secret it names itself with `client_id` (RFC 6749 §3.2.1), or
 * with a Basic header whose secret is empty, as some SDKs send; that is enough for a public
 * client (none has a secret), and for a client that has one only where the grant says so: a code
 * issued with a PKCE challenge, which its verifier redeems (CONTRACT.md, the PKCE row; the
 * official SDK's `authorizePKCEGrant` sends no secret). A secret that is sent is always checked,
 * through the client-authentication throttle.
 */
import { parseBasicAuthorization } from '../basic-authorization.js';
import { oauthErrors } from '../errors.js';
import type { Client } from '../models.js';
import { checkClientMayUse, type GrantDeps, type TokenRequest } from './grant.js';

/** Whether this request may name `client`, which has a secret, without sending it. */
export type WithoutSecret = (client: Client) => boolean;

const never: WithoutSecret = () => false;

export async function authenticateCodeClient(deps: GrantDeps, request: TokenRequest, grantType: string, withoutSecret: WithoutSecret = never): Promise<Client> {
  const basic = parseBasicAuthorization(request.authorization);
  if (request.authorization !== undefined && !basic) throw oauthErrors.invalidClient();
  const formId = request.form.client_id || undefined;
  if (basic && formId !== undefined && formId !== basic.clientId) throw oauthErrors.invalidClient();
  const clientId = basic?.clientId ?? formId;
  if (clientId === undefined) throw oauthErrors.invalidClient();
  const known = await deps.directory.client(clientId);
  let client: Client;
  if (basic && basic.secret !== '') {
    // A public client has no secret to check: one sent for it is a mistake worth refusing.
    if (known && known.secretHash === null) throw oauthErrors.invalidClient();
    client = await deps.clients.authenticate(basic.clientId, basic.secret, request.address);
  } else {
    // Named without a secret. An unknown id and a client that needs its secret here get the same answer.
    if (!known || (known.secretHash !== null && !withoutSecret(known))) throw oauthErrors.invalidClient();
    client = known;
  }
  return checkClientMayUse(client, grantType, 'CODE');
}
