/**
 * The rules of an OAuth client, written once for the three doors that make clients (the seed
 * file, the command line, the OAuth clients API): which grant types exist, which fields each
 * grant takes, what a redirect URI must be, how long a token may live.
 *
 * Each door names the fields its own way (`--redirect-uri`, `registeredRedirectUri`,
 * `organizations[0].clients[2].registeredRedirectUri`), so a broken rule comes back as a
 * {@link ClientRuleViolation} naming the field in the model's terms, worded with the door's
 * names ({@link FieldNames}); the door turns it into its own error (a usage line, an ErrorBody,
 * a seed path).
 */
import { ACCESS_TOKEN_VALIDITY, GRANT_TYPES, type GrantType, type RoleDivision } from '../models.js';

/** The model's fields that a rule can name. */
export type ClientField = 'authorizedGrantType' | 'roleDivisions' | 'scope' | 'registeredRedirectUri' | 'accessTokenValiditySeconds' | 'preAuthorized';

/** How a door spells each field in its messages. */
export type FieldNames = Record<ClientField, string>;

export const MODEL_FIELD_NAMES: FieldNames = {
  authorizedGrantType: 'authorizedGrantType',
  roleDivisions: 'roleDivisions',
  scope: 'scope',
  registeredRedirectUri: 'registeredRedirectUri',
  accessTokenValiditySeconds: 'accessTokenValiditySeconds',
  preAuthorized: 'preAuthorized',
};

export class ClientRuleViolation extends Error {
  /** The model field, with an index where one element of a list is wrong (`registeredRedirectUri[1]`). */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ClientRuleViolation';
    this.field = field;
  }
}

/** What the rules look at: a client as a door describes it before it is made or changed. */
export interface ClientShape {
  authorizedGrantType: string;
  roleCount: number;
  scope: readonly string[];
  registeredRedirectUri: readonly string[];
  accessTokenValiditySeconds: number;
  /** Given only by the seed and the command line. */
  preAuthorized?: boolean;
}

export function isGrantType(value: string): value is GrantType {
  return (GRANT_TYPES as readonly string[]).includes(value);
}

/** An absolute URI: a scheme, then anything URL parsing accepts (the seed file's `uri` format; redirect URIs have their own rule). */
export function isAbsoluteUri(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

/** Schemes that run or read something where they land: never where a code or token is sent. */
const NEVER_REDIRECT_SCHEMES = new Set(['javascript', 'data', 'file', 'vbscript', 'blob', 'about']);
/** A loopback host (RFC 8252 §7.3), as the redirect URI matcher knows them (authorize/redirect-uri.ts). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/**
 * Why `uri` cannot be a registered redirect URI (CONTRACT.md, "Control plane"), or null when it
 * can: an absolute `https` URI, an `http` one on a loopback host, or a private-use scheme of the
 * form `com.example.app:/path` (RFC 8252 §7.1: a reversed domain name, so it holds a dot). Never a
 * scheme that runs script or reads local data, a fragment (RFC 6749 §3.1.2: the code would go
 * where the client cannot control it), or userinfo (`https://trusted@evil.example` reads as the
 * trusted host to a person). Worded to follow the URI in a message.
 */
export function redirectUriProblem(uri: string): string | null {
  // The URL parser drops tabs and newlines and trims spaces: `java\tscript:` would pass as `javascript:`.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u0020\u007f-\u009f]/.test(uri)) return 'must not contain spaces or control characters';
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (scheme === undefined) return 'is not an absolute URI';
  if (NEVER_REDIRECT_SCHEMES.has(scheme)) return `uses the ${scheme}: scheme, which is never a redirect target`;
  if (uri.includes('#')) return 'must not have a fragment (#)';
  const authority = /^[^:]+:\/\/([^/?]*)/.exec(uri)?.[1];
  if (authority?.includes('@') || url.username !== '' || url.password !== '') return 'must not carry a user name or password (userinfo)';
  if (scheme === 'https') return authority ? null : 'must name a host (https://host/path)';
  if (scheme === 'http') {
    return authority && LOOPBACK_HOSTS.has(url.hostname.toLowerCase()) ? null : 'must use https (http only on a loopback host: 127.0.0.1, [::1] or localhost)';
  }
  if (scheme.includes('.') && uri.charAt(scheme.length + 1) === '/') return null;
  return 'must use https, http on a loopback host, or a private-use scheme such as com.example.app:/callback (RFC 8252)';
}

export function isTokenLifetime(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds >= ACCESS_TOKEN_VALIDITY.min && seconds <= ACCESS_TOKEN_VALIDITY.max;
}

/** Grants through which a person signs in: their tokens carry the user's roles and the client's scopes. */
export const isUserGrant = (grantType: GrantType): boolean => grantType !== 'CLIENT-CREDENTIALS';
/** Grants that send the browser back to the app, so the app must register where. */
export const needsRedirectUri = (grantType: GrantType): boolean => grantType === 'CODE' || grantType === 'TOKEN';

/** The first rule `shape` breaks, or null. */
export function clientRuleViolation(shape: ClientShape, names: FieldNames = MODEL_FIELD_NAMES): ClientRuleViolation | null {
  const grant = shape.authorizedGrantType;
  if (!isGrantType(grant))
    return new ClientRuleViolation('authorizedGrantType', `${names.authorizedGrantType} must be one of ${GRANT_TYPES.join(', ')}, not ${grant}`);
  if (isUserGrant(grant) && shape.roleCount > 0) {
    return new ClientRuleViolation('roleDivisions', `${names.roleDivisions} applies to CLIENT-CREDENTIALS clients only: user tokens carry the user's roles`);
  }
  if (!isUserGrant(grant) && shape.scope.length > 0) {
    return new ClientRuleViolation('scope', `${names.scope} applies to user-grant clients only: a CLIENT-CREDENTIALS token carries its roles`);
  }
  if (needsRedirectUri(grant) && shape.registeredRedirectUri.length === 0) {
    return new ClientRuleViolation('registeredRedirectUri', `a ${grant} client needs at least one ${names.registeredRedirectUri}`);
  }
  for (const [i, uri] of shape.registeredRedirectUri.entries()) {
    const problem = redirectUriProblem(uri);
    if (problem) return new ClientRuleViolation(`registeredRedirectUri[${i}]`, `${names.registeredRedirectUri} ${JSON.stringify(uri)} ${problem}`);
  }
  if (shape.preAuthorized === true && !needsRedirectUri(grant)) {
    return new ClientRuleViolation('preAuthorized', `${names.preAuthorized} applies to CODE and TOKEN clients only: only they show the consent page`);
  }
  if (!isTokenLifetime(shape.accessTokenValiditySeconds)) {
    return new ClientRuleViolation(
      'accessTokenValiditySeconds',
      `${names.accessTokenValiditySeconds} must be a whole number of seconds from ${ACCESS_TOKEN_VALIDITY.min} to ${ACCESS_TOKEN_VALIDITY.max}`,
    );
  }
  return null;
}

/** A client's fields as a door gives them, before the defaults. */
export interface ClientFieldsDraft {
  name: string;
  description?: string | null;
  authorizedGrantType: string;
  roleDivisions?: readonly RoleDivision[];
  scope?: readonly string[];
  registeredRedirectUri?: readonly string[];
  accessTokenValiditySeconds?: number;
  /** The seed and the command line only (the API never sets it): left out, a client keeps its own. */
  preAuthorized?: boolean;
}

/**
 * The defaults every door applies, written once: no description, no roles, scopes or redirect
 * URIs, the default lifetime; a value named twice counts once. The rules then judge the result.
 */
export function clientFields(draft: ClientFieldsDraft) {
  const roleDivisions = new Map(
    (draft.roleDivisions ?? []).map((rd) => [`${rd.roleId}\u0000${rd.divisionId}`, { roleId: rd.roleId, divisionId: rd.divisionId }]),
  );
  return {
    name: draft.name,
    description: draft.description ?? null,
    authorizedGrantType: draft.authorizedGrantType as GrantType,
    scope: [...new Set(draft.scope ?? [])],
    registeredRedirectUri: [...new Set(draft.registeredRedirectUri ?? [])],
    roleDivisions: [...roleDivisions.values()],
    accessTokenValiditySeconds: draft.accessTokenValiditySeconds ?? ACCESS_TOKEN_VALIDITY.default,
    ...(draft.preAuthorized === undefined ? {} : { preAuthorized: draft.preAuthorized }),
  };
}
