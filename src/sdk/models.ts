/**
 * Wire models of the Tokens API and the login service, as the official Genesys SDK
 * types them (see `CONTRACT.md`). Every field is optional where the server may omit it.
 *
 * @packageDocumentation
 */

/** An entity reference with an id and, where known, a name. */
export interface NamedEntity {
  id?: string;
  name?: string;
}

/** A reference to another entity, such as the user who created a client. */
export interface DomainEntityRef {
  id?: string;
  name?: string;
  selfUri?: string;
}

/** A role granted to a client-credentials client within one division. */
export interface RoleDivision {
  roleId: string;
  divisionId: string;
}

/** The grant types an OAuth client may be registered for. */
export type AuthorizedGrantType = 'CODE' | 'TOKEN' | 'SAML2-BEARER' | 'PASSWORD' | 'CLIENT-CREDENTIALS';

/** The OAuth client that obtained a token. The secret is never part of it. */
export interface OrgOAuthClient {
  id?: string;
  name: string;
  dateCreated?: string;
  dateModified?: string;
  createdBy?: DomainEntityRef;
  modifiedBy?: DomainEntityRef;
  authorizedGrantType: AuthorizedGrantType;
  /** Scopes of a user-grant client. */
  scope?: string[];
  /** Roles of a client-credentials client. */
  roleDivisions?: RoleDivision[];
  state?: 'active' | 'disabled' | 'inactive';
  dateToDelete?: string;
  organization?: NamedEntity;
}

/** A user cloned from a trustee organization. */
export interface TokenInfoClonedUser {
  id?: string;
  organization?: { id?: string };
}

/** What `GET /api/v2/tokens/me` says about the token that made the request. */
export interface TokenInfo {
  organization?: NamedEntity;
  homeOrganization?: NamedEntity;
  authorizedScope?: string[];
  clonedUser?: TokenInfoClonedUser;
  /** ISO-8601 date-time; present only while an idle timeout applies to the token. */
  dateTokenIdles?: string;
  /** Note the capital O-A-u-t-h spelling, as on the wire. */
  OAuthClient?: OrgOAuthClient;
}

/** A group-specific idle timeout. */
export interface InactivityTimeoutGroupBundle {
  /** 1 to 5; the lowest number wins where a user is in several bundles. */
  priority: number;
  /** 300 to 28800. */
  timeoutSeconds: number;
  inactivityTimeoutUnit?: 'Minutes' | 'Hours';
  groups: string[];
}

/** The idle token timeout of an organization. */
export interface IdleTokenTimeout {
  /** 300 to 28800 (5 minutes to 8 hours). */
  idleTokenTimeoutSeconds?: number;
  enableIdleTokenTimeout?: boolean;
  /** Display only. */
  inactivityTimeoutUnit?: 'Minutes' | 'Hours';
  inactivityTimeoutGroupsEnabled?: boolean;
  /** At most 5. */
  inactivityTimeoutGroupBundles?: InactivityTimeoutGroupBundle[];
}

/** One detail of an {@link ErrorBody}, such as the field that was out of range. */
export interface ErrorDetail {
  errorCode?: string;
  fieldName?: string;
  entityId?: string;
  entityName?: string;
}

/** The rate limit an error refers to. */
export interface ErrorLimit {
  key?: string;
  namespace?: string;
  value?: number;
}

/** The JSON body of every 4xx/5xx answer of `/api/v2`. */
export interface ErrorBody {
  message?: string;
  code?: string;
  status?: number;
  entityId?: string;
  entityName?: string;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  /** Equals the `ININ-Correlation-Id` header. */
  contextId?: string;
  details?: ErrorDetail[];
  errors?: ErrorBody[];
  limit?: ErrorLimit;
}

/** The success body of `POST /oauth/token` (RFC 6749 section 5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
}

/** The error body of `POST /oauth/token` (RFC 6749 section 5.2, plus Genesys' `description`). */
export interface OAuthErrorBody {
  error?: string;
  description?: string;
  error_description?: string;
}

/**
 * What a login returns, in the official SDK's shape.
 *
 * @example
 * ```ts
 * const auth = await client.loginClientCredentialsGrant(id, secret);
 * console.log(`valid until ${auth.tokenExpiryTimeString}`);
 * ```
 */
export interface AuthData {
  accessToken: string;
  /** Milliseconds since the epoch. */
  tokenExpiryTime: number;
  /** The same instant, as a UTC string. */
  tokenExpiryTimeString: string;
  /** Present when the server issued one (code and password grants). */
  refreshToken?: string;
}
