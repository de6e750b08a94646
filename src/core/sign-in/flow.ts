/**
 * What the sign-in pages (`/oauth/authorize`, `/login`, `/logout`) ask of core beyond
 * credentials and sessions: the authorization request they carry, the organization a form
 * names, the redirect that finishes a sign-in, and whether sign-out may go back to a client.
 */
import { completeAuthorization } from '../authorize/complete.js';
import { isRegisteredRedirectUri } from '../authorize/redirect-uri.js';
import { type AuthorizeRequest, parseAuthorizeRequest } from '../authorize/request.js';
import type { Clock } from '../clock.js';
import type { TokenIssuer } from '../issuer.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { SignInPort } from '../ports/sign-in-port.js';
import type { LiveSession } from './sessions.js';

export class SignInFlow {
  readonly #store: DirectoryPort & SignInPort;
  readonly #clock: Clock;
  readonly #issuer: TokenIssuer;

  constructor(store: DirectoryPort & SignInPort, clock: Clock, issuer: TokenIssuer) {
    this.#store = store;
    this.#clock = clock;
    this.#issuer = issuer;
  }

  /** The authorization request in `params`, checked (authorize/request.ts); throws AuthorizeError. */
  authorizeRequest(params: URLSearchParams): Promise<AuthorizeRequest> {
    return parseAuthorizeRequest(this.#store, params);
  }

  /** The id of the organization the sign-in form names (any letter case), or null. */
  async organizationIdNamed(name: string): Promise<string | null> {
    return (await this.#store.findOrganizationByName(name))?.id ?? null;
  }

  /** Where the browser goes once `signedIn` approved `request`: a code, or an implicit token (authorize/complete.ts). */
  complete(request: AuthorizeRequest, signedIn: LiveSession): Promise<string> {
    return completeAuthorization({ store: this.#store, clock: this.#clock, issuer: this.#issuer }, request, signedIn);
  }

  /** Whether sign-out may go back to `redirectUri`: only to one registered for the client `clientId` names. */
  async mayReturnTo(clientId: unknown, redirectUri: string): Promise<boolean> {
    const client = typeof clientId === 'string' && clientId !== '' && clientId.length <= 200 ? await this.#store.findClient(clientId) : null;
    return client !== null && isRegisteredRedirectUri(client, redirectUri);
  }
}
