/**
 * Who calls `/oauth/introspect` and `/oauth/revoke` (RFC 7662 §2.1, RFC 7009 §2.1): a client
 * authenticated exactly as at `/oauth/token` (HTTP Basic, through {@link ClientAuthenticator},
 * its throttles, remembered digests and slow-hash queue), so a wrong secret costs here what an
 * unknown client costs, with the same 401 and 429 answers. Where the endpoint allows it, a
 * public client (one without a secret) names itself with `client_id`, as it does when it
 * refreshes (RFC 7009 §2.1 lets a public client revoke with its id alone).
 */
import { parseBasicAuthorization } from './client-auth.js';
import { oauthErrors } from './errors.js';
import type { Client } from './models.js';
import type { Services } from './services.js';

export interface EndpointRequest {
  /** Form fields (first value of each). */
  form: Record<string, string>;
  authorization: string | undefined;
  /** The caller's address, for the client-authentication throttle. */
  address?: string;
}

export interface CallerRule {
  /** Whether a client without a secret may name itself with `client_id`. */
  publicClients: boolean;
}

export async function authenticateCaller(services: Pick<Services, 'clients' | 'directory'>, request: EndpointRequest, rule: CallerRule): Promise<Client> {
  const basic = parseBasicAuthorization(request.authorization);
  if (request.authorization !== undefined && !basic) throw oauthErrors.invalidClient();
  const formId = request.form.client_id || undefined;
  if (basic && formId !== undefined && formId !== basic.clientId) throw oauthErrors.invalidClient();
  let client: Client;
  if (basic && basic.secret !== '') {
    // A public client's id with a secret is answered as an unknown id (client-auth.ts).
    client = await services.clients.authenticate(basic.clientId, basic.secret, request.address);
  } else {
    const clientId = basic?.clientId ?? formId;
    // No secret: only a public client may be named so; anyone else, known or not, gets the same answer.
    const known = clientId === undefined || !rule.publicClients ? null : await services.directory.client(clientId);
    if (!known || known.secretHash !== null) throw oauthErrors.invalidClient();
    client = known;
  }
  if (client.state !== 'active') throw oauthErrors.unauthorizedClient(`client is ${client.state}`);
  return client;
}
