/** Row-to-domain mappers: the one place that converts database columns into core models. */
import type {
  AuthorizationCode,
  Client,
  ClientState,
  Division,
  DivisionGrant,
  GrantType,
  GroupDetails,
  GroupRecord,
  GroupState,
  GroupType,
  GroupVisibility,
  IdleTokenTimeout,
  Organization,
  OrganizationDetails,
  Role,
  RoleDetails,
  SignInDevice,
  SignInFailures,
  SignInSession,
  TokenKind,
  TokenRecord,
  User,
  UserDetails,
  UserRecord,
  UserState,
} from '../../core/models.js';
import { normalForm } from '../../core/normal-form.js';

export type Row = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const num = (v: unknown): number => Number(v);
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const list = (v: unknown): string[] => JSON.parse(String(v)) as string[];

export function toOrganization(row: Row): Organization {
  return {
    id: str(row.id),
    name: str(row.name),
    homeDivisionId: str(row.home_division_id),
    idleTokenTimeout: JSON.parse(str(row.idle_token_timeout)) as IdleTokenTimeout,
    version: num(row.version),
    details: JSON.parse(str(row.details)) as OrganizationDetails,
  };
}

export function toRole(row: Row): Role {
  const role: Role = { id: str(row.id), organizationId: str(row.organization_id), name: str(row.name), permissions: list(row.permissions) };
  // A role with nothing kept besides its permissions reads as it always has (migration 16).
  const details = optStr(row.details);
  if (details !== null && details !== '{}') role.details = JSON.parse(details) as RoleDetails;
  return role;
}

export function toGroup(row: Row): GroupRecord {
  return {
    id: str(row.id),
    organizationId: str(row.organization_id),
    name: str(row.name),
    description: optStr(row.description),
    type: str(row.group_type) as GroupType,
    visibility: str(row.visibility) as GroupVisibility,
    rulesVisible: num(row.rules_visible) !== 0,
    state: str(row.state) as GroupState,
    version: num(row.version),
    dateModified: optNum(row.date_modified_ms),
    details: JSON.parse(str(row.details)) as GroupDetails,
  };
}

/** A person with the fields the users API adds (a row written before migration 13 reads as version 1, no details). */
export function toUser(row: Row, roleIds: string[], groupIds: string[], grantRows: readonly Row[] = []): UserRecord {
  return {
    // Only where there are some: a person without grants elsewhere reads as they always have.
    ...(grantRows.length === 0 ? {} : { divisionGrants: grantRows.map(toDivisionGrant) }),
    id: str(row.id),
    organizationId: str(row.organization_id),
    name: str(row.name),
    email: str(row.email),
    passwordHash: optStr(row.password_hash),
    state: str(row.state) as UserState,
    roleIds,
    groupIds,
    dateCreated: num(row.date_created_ms),
    dateModified: num(row.date_modified_ms),
    version: row.version === undefined || row.version === null ? 1 : num(row.version),
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as UserDetails) : {},
  };
}

export function toDivisionGrant(row: Row): DivisionGrant {
  return { roleId: str(row.role_id), divisionId: str(row.division_id), grantedAt: num(row.granted_at_ms) };
}

export function toDivision(row: Row): Division {
  return {
    id: str(row.id),
    organizationId: str(row.organization_id),
    name: str(row.name),
    description: optStr(row.description),
    home: num(row.home) === 1,
    dateCreated: num(row.date_created_ms),
  };
}

export function toClient(row: Row, roleRows: Row[]): Client {
  return {
    id: str(row.id),
    organizationId: str(row.organization_id),
    name: str(row.name),
    secretHash: optStr(row.secret_hash),
    authorizedGrantType: str(row.authorized_grant_type) as GrantType,
    scope: list(row.scope),
    registeredRedirectUri: list(row.redirect_uris),
    roleDivisions: roleRows.map((r) => ({ roleId: str(r.role_id), divisionId: str(r.division_id) })),
    accessTokenValiditySeconds: num(row.access_token_validity_seconds),
    state: str(row.state) as ClientState,
    dateCreated: num(row.date_created_ms),
    dateModified: num(row.date_modified_ms),
    createdBy: optStr(row.created_by),
    modifiedBy: optStr(row.modified_by),
    dateToDelete: optNum(row.date_to_delete_ms),
    // Only where one was given: a client made without one reads back as it was made.
    ...(row.description === null || row.description === undefined ? {} : { description: str(row.description) }),
    ...(Number(row.pre_authorized) === 1 ? { preAuthorized: true } : {}),
  };
}

/**
 * Values that a million cached tokens share (kinds, grant types, scope lists), kept once each
 * instead of once per token: fewer bytes and fewer objects for the garbage collector to walk
 * on every major collection. Bounded: past the limit a value is simply not shared.
 */
const MAX_SHARED = 10_000;
const sharedStrings = new Map<string, string>();
const sharedScopes = new Map<string, readonly string[]>();

function shared(value: unknown): string {
  const text = String(value);
  const known = sharedStrings.get(text);
  if (known !== undefined) return known;
  if (sharedStrings.size < MAX_SHARED) sharedStrings.set(text, text);
  return text;
}

/** Scope lists are frozen, so one list can serve every token that has it. */
function sharedScopeList(value: unknown): string[] {
  const json = String(value);
  let scopes = sharedScopes.get(json);
  if (scopes === undefined) {
    scopes = Object.freeze(list(json).map(shared));
    if (sharedScopes.size < MAX_SHARED) sharedScopes.set(json, scopes);
  }
  return scopes as string[];
}

export function toToken(row: Row): TokenRecord {
  return {
    hash: str(row.hash),
    kind: shared(row.kind) as TokenKind,
    organizationId: shared(row.organization_id),
    clientId: shared(row.client_id),
    userId: row.user_id === null || row.user_id === undefined ? null : shared(row.user_id),
    scopes: sharedScopeList(row.scopes),
    grantType: shared(row.grant_type),
    issuedAt: num(row.issued_at_ms),
    expiresAt: num(row.expires_at_ms),
    lastUsedAt: num(row.last_used_at_ms),
    revokedAt: optNum(row.revoked_at_ms),
    familyId: optStr(row.family_id),
    codeHash: optStr(row.code_hash),
  };
}

/** Domain-to-row for the token insert, in the column order of `SQL.insertToken`. */
export function tokenParams(t: TokenRecord): unknown[] {
  return [
    t.hash,
    t.kind,
    t.organizationId,
    t.clientId,
    t.userId,
    JSON.stringify(t.scopes),
    t.grantType,
    t.issuedAt,
    t.expiresAt,
    t.lastUsedAt,
    t.revokedAt,
    t.familyId,
    t.codeHash,
  ];
}

/** The token's client and user for a write conditional on both being active (statements.ts `ISSUER_ACTIVE`). */
export function issuerParams(t: TokenRecord): unknown[] {
  return [t.clientId, t.userId, t.userId];
}

export function clientParams(c: Client): unknown[] {
  return [
    c.id,
    c.organizationId,
    c.name,
    c.secretHash,
    c.authorizedGrantType,
    JSON.stringify(c.scope),
    JSON.stringify(c.registeredRedirectUri),
    c.accessTokenValiditySeconds,
    c.state,
    c.dateCreated,
    c.dateModified,
    c.createdBy,
    c.modifiedBy,
    c.dateToDelete,
    c.description ?? null,
    c.preAuthorized === true ? 1 : 0,
  ];
}

/** A user's columns as insertUser and upsertUser take them; the email and name keys are core's normal form. */
export function userParams(u: User): unknown[] {
  const details = 'details' in u ? (u as UserRecord).details : {};
  return [
    u.id,
    u.organizationId,
    u.name,
    normalForm(u.name),
    u.email,
    normalForm(u.email),
    u.passwordHash,
    u.state,
    u.dateCreated,
    u.dateModified,
    JSON.stringify(details),
  ];
}

export function toCode(row: Row): AuthorizationCode {
  return {
    hash: str(row.hash),
    clientId: str(row.client_id),
    userId: str(row.user_id),
    organizationId: str(row.organization_id),
    sessionHash: optStr(row.session_hash),
    redirectUri: str(row.redirect_uri),
    scopes: list(row.scopes),
    codeChallenge: optStr(row.code_challenge),
    issuedAt: num(row.issued_at_ms),
    expiresAt: num(row.expires_at_ms),
    consumedAt: optNum(row.consumed_at_ms),
    familyId: optStr(row.family_id),
  };
}

/** Domain-to-row for the code insert, in the column order of `SQL.insertCode`. */
export function codeParams(c: AuthorizationCode): unknown[] {
  return [
    c.hash,
    c.clientId,
    c.userId,
    c.organizationId,
    c.sessionHash,
    c.redirectUri,
    JSON.stringify(c.scopes),
    c.codeChallenge,
    c.issuedAt,
    c.expiresAt,
    c.consumedAt,
    c.familyId,
  ];
}

export function toSession(row: Row): SignInSession {
  return {
    hash: str(row.hash),
    userId: str(row.user_id),
    organizationId: str(row.organization_id),
    createdAt: num(row.created_at_ms),
    expiresAt: num(row.expires_at_ms),
    revokedAt: optNum(row.revoked_at_ms),
  };
}

export function sessionParams(s: SignInSession): unknown[] {
  return [s.hash, s.userId, s.organizationId, s.createdAt, s.expiresAt, s.revokedAt];
}

export function toSignInFailures(row: Row): SignInFailures {
  return { failures: num(row.failures), windowStartedAt: num(row.window_start_ms) };
}

export function toDevice(row: Row): SignInDevice {
  return { hash: str(row.hash), userId: str(row.user_id), createdAt: num(row.created_at_ms), expiresAt: num(row.expires_at_ms) };
}
