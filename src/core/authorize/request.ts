/**
 * Reads and checks an authorization request (`/oauth/authorize`, CONTRACT.md; RFC 6749 §4.1.1,
 * §4.2.1; RFC 7636 §4.3). The client and redirect URI are checked first: until both are known
 * good, errors are shown, never redirected. After that every error goes back to the client.
 */
import { OAuthError } from '../errors.js';
import type { Client, Organization } from '../models.js';
import { grantedScopes } from '../scopes.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import { AuthorizeError, type ErrorRedirect } from './authorize-error.js';
import { isRegisteredRedirectUri } from './redirect-uri.js';
import { sameInNormalForm } from '../normal-form.js';

export type ResponseType = 'code' | 'token';

export interface AuthorizeRequest {
  client: Client;
  organization: Organization;
  redirectUri: string;
  responseType: ResponseType;
  state: string | undefined;
  scopes: string[];
  /** The S256 challenge (code flow with PKCE), or null. */
  codeChallenge: string | null;
  /**
   * `prompt` (OpenID Connect Core §3.1.2.1): `login` asks for credentials even with a live
   * session; `none` shows no page at all, and fails with `login_required` or `consent_required`
   * where one would be needed.
   */
  prompt: 'login' | 'none' | null;
  /** Where an error about this request goes back to the client. */
  errorRedirect: ErrorRedirect;
  /** The request's parameters as received, to carry through the sign-in form and check again. */
  query: string;
}

const KNOWN = [
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'scope',
  'code_challenge',
  'code_challenge_method',
  'org',
  'prompt',
  'provider',
  'target',
  'login_hint',
];
// RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is exactly 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * One answer for an unknown client and for a known one with an unregistered redirect URI, word
 * for word (CONTRACT.md): the page must not tell which client ids exist.
 */
export const NOT_REGISTERED = 'The application that sent you here, or the address it asked to return you to, is not registered. Nothing was sent to it.';

export async function parseAuthorizeRequest(store: DirectoryPort, params: URLSearchParams): Promise<AuthorizeRequest> {
  const single = (name: string) => {
    const values = params.getAll(name);
    return { value: values[0] === '' ? undefined : values[0], repeated: values.length > 1 };
  };
  const clientId = single('client_id');
  const redirect = single('redirect_uri');
  // What can be told without the store first, so that these answers do not depend on the client existing.
  if (clientId.repeated || redirect.repeated) throw new AuthorizeError('invalid_request', 'client_id and redirect_uri must be given once', null);
  if (clientId.value === undefined) throw new AuthorizeError('invalid_request', 'The request has no client_id.', null);
  if (redirect.value === undefined) throw new AuthorizeError('invalid_request', 'The request has no redirect_uri.', null);
  const client = clientId.value.length <= 200 ? await store.findClient(clientId.value) : null;
  if (!client || !isRegisteredRedirectUri(client, redirect.value)) throw new AuthorizeError('invalid_request', NOT_REGISTERED, null);

  const responseType = single('response_type').value;
  const state = single('state').value;
  const back: ErrorRedirect = { uri: redirect.value, mode: responseType === 'token' ? 'fragment' : 'query', state };
  const fail = (error: ConstructorParameters<typeof AuthorizeError>[0], description: string) => new AuthorizeError(error, description, back);

  const repeated = KNOWN.find((name) => single(name).repeated);
  if (repeated) throw fail('invalid_request', `parameter ${repeated} was given more than once`);
  if (responseType === undefined) throw fail('invalid_request', 'missing required parameter: response_type');
  if (responseType !== 'code' && responseType !== 'token') throw fail('unsupported_response_type', `response_type ${responseType} is not supported`);
  if (client.state !== 'active') throw fail('unauthorized_client', `client is ${client.state}`);
  if (client.authorizedGrantType !== (responseType === 'code' ? 'CODE' : 'TOKEN')) {
    throw fail('unauthorized_client', `client is not authorized to use response_type ${responseType}`);
  }

  const prompt = checkPrompt(single('prompt').value, fail);
  const codeChallenge = checkChallenge(single('code_challenge').value, single('code_challenge_method').value, responseType, client, fail);
  let scopes: string[];
  try {
    scopes = grantedScopes(client, single('scope').value);
  } catch (error) {
    if (error instanceof OAuthError) throw fail(error.error, error.message);
    throw error;
  }
  const organization = await store.findOrganization(client.organizationId);
  if (!organization) throw fail('unauthorized_client', 'the client has no organization');
  const org = single('org').value;
  if (org !== undefined && !sameInNormalForm(org, organization.name)) {
    throw fail('invalid_request', 'org does not name the organization of this client');
  }
  return {
    client,
    organization,
    redirectUri: redirect.value,
    responseType,
    state,
    scopes,
    codeChallenge,
    prompt,
    errorRedirect: back,
    query: params.toString(),
  };
}

/** `prompt` as a space-separated list (OpenID Connect Core §3.1.2.1); `none` stands alone. Other values ask nothing more. */
function checkPrompt(value: string | undefined, fail: (error: 'invalid_request', description: string) => AuthorizeError): AuthorizeRequest['prompt'] {
  const values = value?.split(' ').filter((v) => v !== '') ?? [];
  if (values.includes('none')) {
    if (values.length > 1) throw fail('invalid_request', 'prompt=none cannot be combined with other prompt values');
    return 'none';
  }
  return values.includes('login') ? 'login' : null;
}

function checkChallenge(
  challenge: string | undefined,
  method: string | undefined,
  responseType: ResponseType,
  client: Client,
  fail: (error: 'invalid_request', description: string) => AuthorizeError,
): string | null {
  if (challenge === undefined) {
    if (method !== undefined) throw fail('invalid_request', 'code_challenge_method was sent without code_challenge');
    // A public client has no secret: PKCE is what binds its code to it (RFC 9700 §2.1.1).
    if (responseType === 'code' && client.secretHash === null) throw fail('invalid_request', 'code_challenge is required for this client (PKCE, S256)');
    return null;
  }
  if (responseType !== 'code') throw fail('invalid_request', 'code_challenge is only for response_type=code');
  if (method !== 'S256') throw fail('invalid_request', 'code_challenge_method must be S256');
  if (!S256_CHALLENGE.test(challenge)) throw fail('invalid_request', 'code_challenge is not a base64url SHA-256 value');
  return challenge;
}
