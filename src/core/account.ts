/**
 * What the account page shows and does for the signed-in person: their live tokens (with last
 * use from the in-memory idle clock, which is never behind the store) and revoking one sign-in.
 */
import type { Authenticator } from './authenticator.js';
import type { Clock } from './clock.js';
import type { IdleClock } from './idle-clock.js';
import { effectiveIdleSeconds } from './idle-policy.js';
import type { Organization, TokenKind, User } from './models.js';
import type { DirectoryPort } from './ports/directory-port.js';
import type { SignInPort } from './ports/sign-in-port.js';
import type { TokensPort } from './ports/tokens-port.js';
import { type AccountApp, groupSignIns } from './account-sign-ins.js';

export interface AccountToken {
  familyId: string;
  clientName: string;
  kind: TokenKind;
  issuedAt: number;
  lastUsedAt: number | null;
  expiresAt: number;
  /** When an access token idles out, or null when no idle timeout applies. */
  idlesAt: number | null;
}

export interface AccountDeps {
  store: TokensPort & DirectoryPort & Pick<SignInPort, 'listSessionFamilies'>;
  clock: Clock;
  idleClock: IdleClock;
  authenticator: Authenticator;
}

export async function listAccountTokens(deps: AccountDeps, user: User, organization: Organization): Promise<AccountToken[]> {
  const now = deps.clock.now();
  const idleSeconds = effectiveIdleSeconds(organization.idleTokenTimeout, user);
  const clientNames = new Map<string, string>();
  const tokens: AccountToken[] = [];
  for (const token of await deps.store.listUserTokens(user.id, now)) {
    if (token.familyId === null) continue;
    const lastUsedAt = deps.idleClock.lastUse(token.hash, token.lastUsedAt);
    const idlesAt = token.kind === 'access' && idleSeconds !== null ? lastUsedAt + idleSeconds * 1000 : null;
    // Idled out but not yet swept: no longer active.
    if (idlesAt !== null && now >= idlesAt) continue;
    if (!clientNames.has(token.clientId)) clientNames.set(token.clientId, (await deps.store.findClient(token.clientId))?.name ?? token.clientId);
    tokens.push({
      familyId: token.familyId,
      clientName: clientNames.get(token.clientId) as string,
      kind: token.kind,
      issuedAt: token.issuedAt,
      lastUsedAt: lastUsedAt > token.issuedAt ? lastUsedAt : null,
      expiresAt: token.expiresAt,
      idlesAt,
    });
  }
  return tokens;
}

/** Revokes one sign-in (access and refresh tokens) of this user; false when it is not theirs or not live. */
export async function revokeAccountFamily(deps: AccountDeps, user: User, familyId: string): Promise<boolean> {
  const live = await deps.store.listUserTokens(user.id, deps.clock.now());
  if (!live.some((token) => token.familyId === familyId)) return false;
  await deps.authenticator.revokeFamily(familyId, 'account_page');
  return true;
}

/** The account page's operations, bound to the ports the services were wired with (services.ts). */
export class Account {
  readonly #deps: AccountDeps;

  constructor(deps: AccountDeps) {
    this.#deps = deps;
  }

  tokens(user: User, organization: Organization): Promise<AccountToken[]> {
    return listAccountTokens(this.#deps, user, organization);
  }

  /** The person's sign-ins by app, those of the session `sessionHash` (the asking browser) marked. */
  async signIns(user: User, organization: Organization, sessionHash: string): Promise<AccountApp[]> {
    const [tokens, families] = await Promise.all([listAccountTokens(this.#deps, user, organization), this.#deps.store.listSessionFamilies(sessionHash)]);
    return groupSignIns(tokens, new Set(families));
  }

  revokeFamily(user: User, familyId: string): Promise<boolean> {
    return revokeAccountFamily(this.#deps, user, familyId);
  }
}
