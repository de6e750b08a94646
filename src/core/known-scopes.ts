/**
 * The one list of OAuth scopes tokend knows: the scopes its endpoints ask of user tokens
 * (CONTRACT.md, "The Tokens API" and "Control plane"), each with its `:readonly` variant
 * where one exists (`x:readonly` allows GET and HEAD of `x`, scopes.ts). `GET /api/v2/oauth/scopes`
 * lists it; a client may still be given any scope name, as a seed can name scopes of a
 * Genesys API that tokend does not serve.
 */

export interface KnownScope {
  readonly id: string;
  readonly description: string;
}

interface ScopeFamily {
  id: string;
  description: string;
  /** The description of `id:readonly`; absent where the scope has no read-only variant. */
  readonly?: string;
}

// The permission domains tokend serves, as Genesys describes their scopes (CONTRACT.md: "Scopes keep Genesys's names").
const FAMILIES: readonly ScopeFamily[] = [
  { id: 'user-basic-info', description: "Read the signed-in person's identity and the calling token; always granted" },
  {
    id: 'organization',
    description: 'Manage the organization: its settings and authentication settings (password policy)',
    readonly: 'View the organization and its settings',
  },
  {
    id: 'users',
    description: 'Manage users: create, update and delete people, set their passwords and roles',
    readonly: 'View users and their details',
  },
  { id: 'groups', description: 'Manage groups and their members', readonly: 'View groups and their members' },
  {
    id: 'authorization',
    description: 'Manage authorization: roles, permissions, divisions, grants and the idle token timeout',
    readonly: 'View authorization: roles, permissions, divisions, grants and products',
  },
  {
    id: 'oauth',
    description: "Manage OAuth clients and revoke a person's tokens",
    readonly: 'View OAuth clients, their API usage, and the OAuth scopes',
  },
  {
    id: 'identity-providers',
    description: 'Manage identity providers (SAML single sign-on)',
    readonly: 'View identity providers',
  },
];

export const KNOWN_SCOPES: readonly KnownScope[] = FAMILIES.flatMap((family) => [
  { id: family.id, description: family.description },
  ...(family.readonly === undefined ? [] : [{ id: `${family.id}:readonly`, description: family.readonly }]),
]);

const KNOWN_IDS = new Set(KNOWN_SCOPES.map((scope) => scope.id));

export function isKnownScope(id: string): boolean {
  return KNOWN_IDS.has(id);
}

const BY_ID = new Map(KNOWN_SCOPES.map((scope) => [scope.id, scope]));
const DESCRIPTIONS = new Map(KNOWN_SCOPES.map((scope) => [scope.id, scope.description]));

/** The scope of that id; null for one tokend does not know (`GET /api/v2/oauth/scopes/{scopeId}` is then 404). */
export function knownScope(id: string): KnownScope | null {
  return BY_ID.get(id) ?? null;
}

/** What a scope lets an app do, for the consent page; null for a scope tokend does not know (shown by its name). */
export function scopeDescription(id: string): string | null {
  return DESCRIPTIONS.get(id) ?? null;
}
