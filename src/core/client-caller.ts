/**
 * The one client authentication of `/oauth/token`, `/oauth/introspect` and `/oauth/revoke`
 * (RFC 6749 §2.3.1, RFC 7662 §2.1, RFC 7009 §2.1): how a request names its client is read here
 * and nowhere else, and each endpoint only says who may name itself without a secret.
 *
 * - HTTP Basic is the one way to send a secret. A Basic header that cannot be read, a secret in
 *   the form (one method per request, RFC 6749 §2.3.1), and a form `client_id` other than the
 *   Basic one are `invalid_client`.
 * - A secret sent is always checked by {@link ClientAuthenticator}: its throttles, remembered
 *   digests and slow-hash queue, so a wrong secret costs what an unknown client costs, and a
 *   public client's id sent with a secret is answered as an unknown id.
 * - Without a secret (no Basic header, or one with an empty secret, as some SDKs send) the
 *   client names itself with its id, where the endpoint's rule lets it: a public client at
 *   `/oauth/revoke` and at the code grants, a client with a secret redeeming a PKCE code
 *   (CONTRACT.md, the PKCE row); nobody at `/oauth/introspect` or the other grants.
 * - At `/oauth/revoke` an id that may not name itself so is nobody (`null`), answered with the
 *   same 200 as a public client, so that the answer cannot tell which ids exist and which are
 *   public (CONTRACT.md, "Standard OAuth endpoints"); everywhere else it is `invalid_client`.
 * - The client found must be active (`unauthorized_client`), but for nobody at `/oauth/revoke`.
 */
import { parseBasicAuthorization } from './basic-authorization.js';
import type { ClientAuthenticator } from './client-auth.js';
import type { Directory } from './directory.js';
import { oauthErrors } from './errors.js';
import type { Client } from './models.js';

export interface CallerRequest {
  /** Form fields (first value of each). */
  form: Record<string, string>;
  authorization: string | undefined;
  /** The caller's address, for the client-authentication throttle. */
  address?: string;
}

/** Whether this request may name `client` by its id alone. */
export type WithoutSecret = (client: Client) => boolean;

export interface CallerRule {
  /** Who may name itself without a secret; null: nobody (no directory read for such a request). */
  withoutSecret: WithoutSecret | null;
  /** An id sent without a secret that may not: nobody (`null`, /oauth/revoke) rather than `invalid_client`. */
  nobodyWithoutSecret: boolean;
}

/** A client without a secret (a browser or native app). */
export const isPublic: WithoutSecret = (client) => client.secretHash === null;

/** Client credentials, password, SAML2 bearer, introspection: the secret, by HTTP Basic. */
export const SECRET_REQUIRED = { withoutSecret: null, nobodyWithoutSecret: false } as const satisfies CallerRule;
/** Revocation: a public client names itself; any other id without a secret is nobody. */
export const PUBLIC_OR_NOBODY = { withoutSecret: isPublic, nobodyWithoutSecret: true } as const satisfies CallerRule;

interface CallerDeps {
  clients: Pick<ClientAuthenticator, 'authenticate'>;
  directory: Pick<Directory, 'client'>;
}

/** The calling client; null only under a rule with `nobodyWithoutSecret`. */
export async function authenticateCaller(deps: CallerDeps, request: CallerRequest, rule: CallerRule & { nobodyWithoutSecret: true }): Promise<Client | null>;
export async function authenticateCaller(deps: CallerDeps, request: CallerRequest, rule: CallerRule & { nobodyWithoutSecret: false }): Promise<Client>;
export async function authenticateCaller(deps: CallerDeps, request: CallerRequest, rule: CallerRule): Promise<Client | null> {
  const basic = parseBasicAuthorization(request.authorization);
  if (request.authorization !== undefined && !basic) throw oauthErrors.invalidClient();
  if (request.form.client_secret) throw oauthErrors.invalidClient();
  const formId = request.form.client_id || undefined;
  if (basic && formId !== undefined && formId !== basic.clientId) throw oauthErrors.invalidClient();
  if (basic && basic.secret !== '') return active(await deps.clients.authenticate(basic.clientId, basic.secret, request.address));
  const clientId = basic?.clientId ?? formId;
  if (clientId === undefined || rule.withoutSecret === null) throw oauthErrors.invalidClient();
  const named = await deps.directory.client(clientId);
  const mayNameItself = named !== null && rule.withoutSecret(named);
  // Nothing proven: a disabled public client is nobody too, or the answer would tell it exists.
  if (rule.nobodyWithoutSecret) return mayNameItself && named.state === 'active' ? named : null;
  // An unknown id and a client that needs its secret here get the same answer.
  if (!mayNameItself) throw oauthErrors.invalidClient();
  return active(named);
}

function active(client: Client): Client {
  if (client.state !== 'active') throw oauthErrors.unauthorizedClient(`client is ${client.state}`);
  return client;
}
