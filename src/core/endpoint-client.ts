/**
 * Who calls `/oauth/introspect` and `/oauth/revoke` (RFC 7662 §2.1, RFC 7009 §2.1): a client
 * authenticated exactly as at `/oauth/token` (HTTP Basic, through {@link ClientAuthenticator},
 * its throttles, remembered digests and slow-hash queue), so a wrong secret costs here what an
 * unknown client costs, with the same 401 and 429 answers.
 *
 * At `/oauth/revoke` a public client (one without a secret) names itself with `client_id`, as it
 * does when it refreshes (RFC 7009 §2.1). So that the answer cannot tell which ids exist and
 * which are public (CONTRACT.md, "Standard OAuth endpoints"), any `client_id` sent without a
 * secret is answered alike: a public client is the caller, and any other id, known or not, is
 * nobody (`null`), for whom nothing is revoked and the answer is the same 200.
 */
import { parseBasicAuthorization } from './basic-authorization.js';
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
  /** Whether a `client_id` may be sent without a secret (a public client names itself so). */
  publicClients: boolean;
}

/** `publicClients`: the caller, or null for an id sent without a secret that names no public client. */
export async function authenticateCaller(
  services: Pick<Services, 'clients' | 'directory'>,
  request: EndpointRequest,
  rule: { publicClients: true },
): Promise<Client | null>;
export async function authenticateCaller(
  services: Pick<Services, 'clients' | 'directory'>,
  request: EndpointRequest,
  rule: { publicClients: false },
): Promise<Client>;
export async function authenticateCaller(
  services: Pick<Services, 'clients' | 'directory'>,
  request: EndpointRequest,
  rule: CallerRule,
): Promise<Client | null> {
  const basic = parseBasicAuthorization(request.authorization);
  if (request.authorization !== undefined && !basic) throw oauthErrors.invalidClient();
  // A secret in the form is a way of authenticating tokend does not offer (only Basic): refused
  // alike whatever the id, rather than taken for no secret and answered 200 without revoking.
  if (request.form.client_secret) throw oauthErrors.invalidClient();
  const formId = request.form.client_id || undefined;
  if (basic && formId !== undefined && formId !== basic.clientId) throw oauthErrors.invalidClient();
  if (basic && basic.secret !== '') {
    // A public client's id with a secret is answered as an unknown id (client-auth.ts).
    const client = await services.clients.authenticate(basic.clientId, basic.secret, request.address);
    if (client.state !== 'active') throw oauthErrors.unauthorizedClient(`client is ${client.state}`);
    return client;
  }
  const clientId = basic?.clientId ?? formId;
  if (clientId === undefined || !rule.publicClients) throw oauthErrors.invalidClient();
  // Nothing proven: a disabled public client is nobody too, or its answer would tell it exists.
  const named = await services.directory.client(clientId);
  return named !== null && named.secretHash === null && named.state === 'active' ? named : null;
}
