/**
 * A person's or a client's live tokens, for the command line (`tokend tokens list`): what each
 * is (kind, family, client, person, grant) and its dates, never the token or its hash. Live:
 * not revoked, not expired, and not idled out (a token past its idle deadline that the sweep
 * has not revoked yet is left out, as the account page leaves it out).
 */
import type { Clock } from '../clock.js';
import { effectiveIdleSeconds } from '../idle-policy.js';
import type { Organization, TokenKind, TokenRecord, User } from '../models.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { TokensPort } from '../ports/tokens-port.js';

export interface LiveToken {
  /** The sign-in the token belongs to (access and refresh tokens across rotations); null for client credentials. */
  familyId: string | null;
  kind: TokenKind;
  clientId: string;
  userId: string | null;
  grantType: string;
  issuedAt: number;
  expiresAt: number;
  /** Its last admitted request, or null when it was never used after it was issued. */
  lastUsedAt: number | null;
}

export class LiveTokens {
  readonly #store: TokensPort & DirectoryPort;
  readonly #clock: Clock;

  constructor(store: TokensPort & DirectoryPort, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async ofUser(userId: string): Promise<LiveToken[]> {
    return this.#live(await this.#store.listUserTokens(userId, this.#clock.now()));
  }

  async ofClient(clientId: string): Promise<LiveToken[]> {
    return this.#live(await this.#store.listClientTokens(clientId, this.#clock.now()));
  }

  async #live(tokens: TokenRecord[]): Promise<LiveToken[]> {
    const now = this.#clock.now();
    const organizations = new Map<string, Promise<Organization | null>>();
    const users = new Map<string, Promise<User | null>>();
    const live: LiveToken[] = [];
    for (const token of tokens) {
      if (!organizations.has(token.organizationId)) organizations.set(token.organizationId, this.#store.findOrganization(token.organizationId));
      if (token.userId !== null && !users.has(token.userId)) users.set(token.userId, this.#store.findUser(token.userId));
      const organization = await organizations.get(token.organizationId);
      const user = token.userId === null ? null : ((await users.get(token.userId)) ?? null);
      const idleSeconds = organization ? effectiveIdleSeconds(organization.idleTokenTimeout, user) : null;
      // Only access tokens idle out (idle-timeout.ts); the store's last use is the newest a command can know.
      if (token.kind === 'access' && idleSeconds !== null && now >= token.lastUsedAt + idleSeconds * 1000) continue;
      live.push({
        familyId: token.familyId,
        kind: token.kind,
        clientId: token.clientId,
        userId: token.userId,
        grantType: token.grantType,
        issuedAt: token.issuedAt,
        expiresAt: token.expiresAt,
        lastUsedAt: token.lastUsedAt > token.issuedAt ? token.lastUsedAt : null,
      });
    }
    return live;
  }
}
