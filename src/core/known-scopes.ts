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

const FAMILIES: readonly ScopeFamily[] = [
  { id: 'user-basic-info', description: "Read the signed-in person's identity and the calling token; always granted" },
  {
    id: 'organization',
    description: "Read and change the organization's settings and password policy",
    readonly: "Read the organization's settings",
  },
  { id: 'users', description: 'Manage people: create, change, delete, set passwords', readonly: 'Read and list people' },
  { id: 'groups', description: 'Manage groups and their members', readonly: 'Read groups and their members' },
  {
    id: 'authorization',
    description: 'Manage roles, role grants, divisions and the idle token timeout',
    readonly: 'Read roles, role grants, divisions and the idle token timeout',
  },
  {
    id: 'identity-providers',
    description: "Manage the organization's SAML identity providers",
    readonly: "Read the organization's SAML identity providers",
  },
  { id: 'oauth', description: "Manage OAuth clients and revoke a person's tokens", readonly: 'Read OAuth clients and the OAuth scopes' },
];

export const KNOWN_SCOPES: readonly KnownScope[] = FAMILIES.flatMap((family) => [
  { id: family.id, description: family.description },
  ...(family.readonly === undefined ? [] : [{ id: `${family.id}:readonly`, description: family.readonly }]),
]);

const KNOWN_IDS = new Set(KNOWN_SCOPES.map((scope) => scope.id));

export function isKnownScope(id: string): boolean {
  return KNOWN_IDS.has(id);
}

const DESCRIPTIONS = new Map(KNOWN_SCOPES.map((scope) => [scope.id, scope.description]));

/** What a scope lets an app do, for the consent page; null for a scope tokend does not know (shown by its name). */
export function scopeDescription(id: string): string | null {
  return DESCRIPTIONS.get(id) ?? null;
}
