/** What every grant handler of `/oauth/token` shares. */
import type { Authenticator } from '../authenticator.js';
import type { ClientAuthenticator } from '../client-auth.js';
import { authenticateCaller, type CallerRule, SECRET_REQUIRED } from '../client-caller.js';
import type { Clock } from '../clock.js';
import type { Directory } from '../directory.js';
import { oauthErrors } from '../errors.js';
import type { IssuedTokens, TokenIssuer } from '../issuer.js';
import type { Client, GrantType } from '../models.js';
import type { CredentialChecker } from '../sign-in/credentials.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { SignInPort } from '../ports/sign-in-port.js';
import type { TokensPort } from '../ports/tokens-port.js';

export interface GrantDeps {
  store: TokensPort & DirectoryPort & SignInPort;
  clock: Clock;
  directory: Directory;
  clients: ClientAuthenticator;
  issuer: TokenIssuer;
  /** Revokes token families (replayed codes, reused refresh tokens) here and in the store. */
  authenticator: Authenticator;
  /** Email and password, behind the sign-in throttle. */
  credentials: CredentialChecker;
}

/** The parsed request: form fields (first value of each) and the Authorization header. */
export interface TokenRequest {
  form: Record<string, string>;
  authorization: string | undefined;
  /** The caller's address, for the sign-in and client-authentication throttles. */
  address?: string;
  /**
   * Called once the client authenticated, before the grant acts: a test fault (test controls
   * on) answers or delays here, so that it follows authentication and changes nothing stored.
   */
  afterClientAuth?: (clientId: string) => Promise<void>;
}

export interface Grant {
  /** The `grant_type` value this handler serves. */
  readonly grantType: string;
  handle(deps: GrantDeps, request: TokenRequest): Promise<IssuedTokens>;
}

/** A required form field, or `invalid_request` naming it. */
export function requireField(request: TokenRequest, name: string): string {
  const value = request.form[name];
  if (value === undefined || value === '') throw oauthErrors.invalidRequest(`missing required parameter: ${name}`);
  return value;
}

/** The caller, authenticated as the grant's rule says (client-caller.ts), registered for this grant. */
export async function authenticateClient(
  deps: GrantDeps,
  request: TokenRequest,
  grantType: string,
  allowed: GrantType,
  rule: CallerRule = SECRET_REQUIRED,
): Promise<Client> {
  const client = await authenticateCaller(deps, request, { ...rule, nobodyWithoutSecret: false });
  if (request.afterClientAuth) await request.afterClientAuth(client.id);
  return checkClientMayUse(client, grantType, allowed);
}

/** A client registered for another grant is refused. */
export function checkClientMayUse(client: Client, grantType: string, allowed: GrantType): Client {
  if (client.authorizedGrantType !== allowed) {
    throw oauthErrors.unauthorizedClient(`client is not authorized to use grant type ${grantType}`);
  }
  return client;
}
