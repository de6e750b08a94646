/** The domain as the core sees it: times are epoch milliseconds, lists are arrays. */

export const GRANT_TYPES = ['CODE', 'TOKEN', 'SAML2-BEARER', 'PASSWORD', 'CLIENT-CREDENTIALS'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export const CLIENT_STATES = ['active', 'disabled', 'inactive'] as const;
export type ClientState = (typeof CLIENT_STATES)[number];
/** A `deleted` person keeps their row (and email) so that an admin can restore them, as Genesys does; they sign in nowhere. */
export const USER_STATES = ['active', 'inactive', 'deleted'] as const;
export type UserState = (typeof USER_STATES)[number];
export type TimeoutUnit = 'Minutes' | 'Hours';

export interface GroupBundle {
  priority: number;
  timeoutSeconds: number;
  inactivityTimeoutUnit?: TimeoutUnit;
  groups: string[];
}

/** The wire model `IdleTokenTimeout` (CONTRACT.md), stored per organization. */
export interface IdleTokenTimeout {
  enableIdleTokenTimeout: boolean;
  idleTokenTimeoutSeconds: number;
  inactivityTimeoutUnit: TimeoutUnit;
  inactivityTimeoutGroupsEnabled: boolean;
  inactivityTimeoutGroupBundles: GroupBundle[];
}

export const DEFAULT_IDLE_TOKEN_TIMEOUT: IdleTokenTimeout = {
  enableIdleTokenTimeout: false,
  idleTokenTimeoutSeconds: 900,
  inactivityTimeoutUnit: 'Minutes',
  inactivityTimeoutGroupsEnabled: false,
  inactivityTimeoutGroupBundles: [],
};

export interface Organization {
  id: string;
  name: string;
  /** The division that client role grants (`roleDivisions`) point at. */
  homeDivisionId: string;
  idleTokenTimeout: IdleTokenTimeout;
  /** Moved by every change through the API (a stale one is refused); absent on one not read from the store (a seed plan). */
  version?: number;
  /** The fields of the SDK's Organization that tokend keeps to answer back (admin/organization.ts); absent as `version` is. */
  details?: OrganizationDetails;
}

/** What an organization keeps of the SDK's Organization beyond its name; a field never set is answered with its default. */
export interface OrganizationDetails {
  defaultLanguage?: string;
  defaultCountryCode?: string;
  domain?: string;
  thirdPartyURI?: string;
  supportURI?: string;
}

export interface Role {
  id: string;
  organizationId: string;
  name: string;
  permissions: string[];
  /** What the roles API was given besides permissions; absent for a role that has none (a seed's, the CLI's). */
  details?: RoleDetails;
}

/** The SDK's DomainOrganizationRole fields tokend keeps only to answer them back. */
export interface RoleDetails {
  description?: string;
  defaultRoleId?: string;
  /** The labels of the permission policies the role was given, by `domain:entity` (core/admin/role-policies.ts). */
  policyLabels?: PolicyLabel[];
}

/** What a given `DomainPermissionPolicy` says besides the permissions it grants. */
export interface PolicyLabel {
  domain: string;
  entityName: string;
  policyName?: string;
  policyDescription?: string;
  allowConditions?: boolean;
}

export interface Group {
  id: string;
  organizationId: string;
  name: string;
}

/** The SDK's Group `type` and `visibility`, and the states tokend keeps (a deleted group is gone). */
export const GROUP_TYPES = ['official', 'social'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];
export const GROUP_VISIBILITIES = ['public', 'owners', 'members'] as const;
export type GroupVisibility = (typeof GROUP_VISIBILITIES)[number];
export const GROUP_STATES = ['active', 'inactive'] as const;
export type GroupState = (typeof GROUP_STATES)[number];

/** A `GroupContact` of the SDK: a phone number or extension that rings the group (kept, never dialled). */
export interface GroupContact {
  address?: string;
  extension?: string;
  display?: string;
  type: string;
  mediaType: string;
}

/** Fields of the SDK's Group that tokend keeps only to answer them back (docs/api.md, "Groups"). */
export interface GroupDetails {
  images?: Array<{ resolution?: string; imageUri?: string }>;
  addresses?: GroupContact[];
  rolesEnabled?: boolean;
  includeOwners?: boolean;
  callsEnabled?: boolean;
  email?: string;
  /** Users of the organization; a group's owners see it whatever its visibility, and manage its members. */
  ownerIds?: string[];
}

/** A group as the groups API reads and writes it: what seeds write, and what only the API sets. */
export interface GroupRecord extends Group {
  description: string | null;
  type: GroupType;
  visibility: GroupVisibility;
  rulesVisible: boolean;
  state: GroupState;
  /** Moved by one on every write through the admin core; a write that names another version is refused. */
  version: number;
  /** Null for a group last written before tokend kept the time. */
  dateModified: number | null;
  details: GroupDetails;
}

export interface User {
  id: string;
  organizationId: string;
  name: string;
  email: string;
  passwordHash: string | null;
  state: UserState;
  /** The person's roles in the organization's home division (user_roles). */
  roleIds: string[];
  groupIds: string[];
  dateCreated: number;
  dateModified: number;
  /**
   * The person's grants in divisions other than the home one (AuthorizationApi's subjects);
   * absent or empty: none. What their tokens may do is what the roles of all their grants allow
   * ({@link heldRoleIds}).
   */
  divisionGrants?: DivisionGrant[];
}

/** A grant of a role in a division other than the organization's home one. */
export interface DivisionGrant {
  roleId: string;
  divisionId: string;
  /** When it was made (milliseconds). */
  grantedAt: number;
}

/** Every role a person holds, in any division: their home roles and the roles of their other grants. */
export function heldRoleIds(user: Pick<User, 'roleIds' | 'divisionGrants'>): string[] {
  const grants = user.divisionGrants ?? [];
  if (grants.length === 0) return user.roleIds;
  return [...new Set([...user.roleIds, ...grants.map((grant) => grant.roleId)])];
}

/**
 * A division of an organization (the SDK's AuthzDivision). Every organization has exactly one
 * home division, whose id is {@link Organization.homeDivisionId}; tokend's people, groups and
 * clients all live in it.
 */
export interface Division {
  id: string;
  organizationId: string;
  name: string;
  description: string | null;
  home: boolean;
  dateCreated: number;
}

/** Fields of the SDK's User that tokend keeps only to answer them back (docs/api.md, "Users"). */
export interface UserDetails {
  department?: string;
  title?: string;
  preferredName?: string;
  addresses?: Array<{ address?: string; display?: string; mediaType?: string; type?: string; extension?: string; countryCode?: string }>;
}

/** A person as the users API reads and writes them. */
export interface UserRecord extends User {
  /** Moved by one on every write through the admin core; a PATCH that names another version is refused. */
  version: number;
  details: UserDetails;
}

export interface RoleDivision {
  roleId: string;
  divisionId: string;
}

export interface Client {
  id: string;
  organizationId: string;
  name: string;
  secretHash: string | null;
  authorizedGrantType: GrantType;
  scope: string[];
  registeredRedirectUri: string[];
  roleDivisions: RoleDivision[];
  accessTokenValiditySeconds: number;
  state: ClientState;
  dateCreated: number;
  dateModified: number;
  createdBy: string | null;
  modifiedBy: string | null;
  dateToDelete: number | null;
  /** Free text an admin gave the client (OAuthClientRequest.description); absent where none was given. */
  description?: string | null;
  /**
   * A first-party app whose sign-ins skip the consent page (CONTRACT.md, "Consent"): set by a
   * seed or the command line only, never by the API. Absent means false.
   */
  preAuthorized?: boolean;
}

/**
 * A person's Allow for an app (CONTRACT.md, "Consent"; the wire's `OAuthAuthorization`): the
 * scopes they allowed it, remembered per person and client.
 */
export interface OAuthAuthorization {
  userId: string;
  clientId: string;
  organizationId: string;
  scopes: string[];
  /**
   * The digest of the client's redirect URIs and scopes when the Allow was given
   * (consent/terms.ts): the Allow holds only while they stay as they were.
   */
  clientTerms: string;
  dateCreated: number;
  dateModified: number;
  /** The person who allowed (the resource owner); null where unknown. */
  createdBy: string | null;
  modifiedBy: string | null;
}

export type TokenKind = 'access' | 'refresh';

/** A token as stored: never the token itself, only its hash. */
export interface TokenRecord {
  hash: string;
  kind: TokenKind;
  organizationId: string;
  clientId: string;
  /** Null for client-credentials tokens. */
  userId: string | null;
  scopes: string[];
  grantType: string;
  issuedAt: number;
  expiresAt: number;
  lastUsedAt: number;
  revokedAt: number | null;
  /** Tokens of one sign-in (access and refresh, across rotations) share a family. */
  familyId: string | null;
  /** The authorization code the family came from, so a replayed code can revoke it. */
  codeHash: string | null;
}

/** The SDK's `PasswordRequirements`: 0 means no such rule. */
export interface PasswordRequirements {
  minimumLength: number;
  minimumDigits: number;
  minimumLetters: number;
  minimumUpper: number;
  minimumLower: number;
  minimumSpecials: number;
  minimumAgeSeconds: number;
  expirationDays: number;
}

/** The SDK's `OrgAuthSettings`, stored per organization (admin/auth-settings.ts says which tokend enforces). */
export interface OrgAuthSettings {
  multifactorAuthenticationRequired: boolean;
  domainAllowlistEnabled: boolean;
  domainAllowlist: string[];
  ipAddressAllowlist: string[];
  passwordRequirements: PasswordRequirements;
  inactivityTimeoutExclusions: string[];
  universalLogout: boolean;
  tokenStorageLocation?: string;
}

export const ACCESS_TOKEN_VALIDITY = { min: 300, max: 172800, default: 86400 } as const;
export const IDLE_TIMEOUT_SECONDS = { min: 300, max: 28800 } as const;

/** An authorization code as stored (RFC 6749 §4.1.2): only its hash, single use, short-lived. */
export interface AuthorizationCode {
  hash: string;
  clientId: string;
  userId: string;
  organizationId: string;
  /** The sign-in session that approved it; its tokens end with that session. */
  sessionHash: string | null;
  /** Exactly as sent to /oauth/authorize; the token request must repeat it. */
  redirectUri: string;
  scopes: string[];
  /** RFC 7636 S256 challenge, or null when the code was issued without PKCE. */
  codeChallenge: string | null;
  issuedAt: number;
  expiresAt: number;
  consumedAt: number | null;
  /** The token family the code was redeemed for, so a replay can revoke it. */
  familyId: string | null;
}

/** A person signed in through the browser (the session cookie holds the secret, the store its hash). */
export interface SignInSession {
  hash: string;
  userId: string;
  organizationId: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** Attempts (reserved, then kept as failures or given back) counted under one throttle key within a fixed window. */
export interface SignInFailures {
  failures: number;
  windowStartedAt: number;
}

/** A browser that signed in to an account: its cookie's SHA-256, never the cookie itself. */
export interface SignInDevice {
  hash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}
