/**
 * What an `/api/v2` operation requires, as one record (STYLE.md, "What each operation requires
 * is written once"): the scopes that admit a user token to it, the permissions its caller's
 * roles must grant, whether it needs a person behind the token, and whether answering it
 * restarts the token's idle clock. Admission (admission.ts) decides by it, the fast lane and the
 * routes register by it, and the OpenAPI document and docs/api.md are written from it.
 */
import { ALWAYS_GRANTED_SCOPE } from '../scopes.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The SDK reference's "Requires ANY permissions" / "Requires ALL permissions"; null: "Requires NO permissions". */
export type PermissionRule = { readonly any: readonly string[] } | { readonly all: readonly string[] } | null;

/**
 * What an admitted, answered request does to its token's idle clock (CONTRACT.md, "IdleTokenTimeout"):
 * `restarts` it, `restarts-unless-preserved` (getTokensMe with `preserveIdleTTL=true` leaves it),
 * or `none` (an operation that ends the token itself).
 */
export type IdleEffect = 'restarts' | 'restarts-unless-preserved' | 'none';

export interface Operation {
  /** The official SDK's operationId (`getTokensMe`). */
  readonly id: string;
  readonly method: HttpMethod;
  /** The route template, Fastify's spelling (`/api/v2/tokens/:userId`). */
  readonly path: string;
  /** The SDK reference's one-line summary. */
  readonly summary: string;
  /** The SDK's API the operation belongs to (`Tokens`, `OAuth`, ...): the OpenAPI tag. */
  readonly api: string;
  /** A user token is admitted when it carries one of these (CONTRACT.md, "The Tokens API"); `user-basic-info` admits every user token. */
  readonly scopes: readonly string[];
  readonly permissions: PermissionRule;
  /** A client-credentials token is refused with Genesys' "requires a user context" 400. */
  readonly needsPerson: boolean;
  readonly idle: IdleEffect;
  /** What the operation does, in a few words (the docs' table). */
  readonly action: string;
  /**
   * Whether answering it writes an audit line (audit.ts). Unset: every operation that is not a
   * read (GET, HEAD) does; `false` for one that changes nothing a reviewer follows (a search sent
   * as a POST, the caller ending its own token).
   */
  readonly audited?: false;
}

/** Whether the operation writes an audit line. */
export function isAudited(operation: Operation): boolean {
  return operation.audited ?? (operation.method !== 'GET' && operation.method !== 'HEAD');
}

/** The scopes that admit reading `family`: the scope and its `:readonly` variant (ours, CONTRACT.md). */
export const readScopes = (family: string): readonly string[] => [family, `${family}:readonly`];
/** The scopes that admit changing `family`: the scope alone. */
export const writeScopes = (family: string): readonly string[] => [family];
/** Every user token carries `user-basic-info` (scopes.ts). */
export const ANY_USER_TOKEN: readonly string[] = [ALWAYS_GRANTED_SCOPE];

/** The permissions a rule names, any or all alike. */
export function permissionsNamed(rule: PermissionRule): readonly string[] {
  if (rule === null) return [];
  return 'any' in rule ? rule.any : rule.all;
}

/** Whether a token that carries `scopes` is admitted by one of the operation's. */
export function scopesAdmit(operation: Operation, scopes: readonly string[]): boolean {
  for (const scope of operation.scopes) if (scope === ALWAYS_GRANTED_SCOPE || scopes.includes(scope)) return true;
  return false;
}
