/**
 * Issues access (and refresh) tokens: new random values, only their hashes stored. The store
 * writes a token only while its client and user are still active (TokensPort.insertToken): a
 * grant's checks come first, and a disable that commits between them and the write must not
 * leave a token behind that an enable would bring back (CONTRACT.md, "Control plane"). A write
 * refused so answers as the grant answers a disabled client or user ({@link TokenIssuer.accessEnded}).
 */
import { randomUUID } from 'node:crypto';
import type { CacheMark } from './authenticator.js';
import type { Clock } from './clock.js';
import { CoreCounts } from './counts.js';
import { type OAuthError, oauthErrors } from './errors.js';
import type { IssuanceLimit } from './issuance-limit.js';
import type { Client, TokenRecord, User } from './models.js';
import { hashToken, newToken } from './secrets.js';
import type { DirectoryPort } from './ports/directory-port.js';
import type { TokensPort } from './ports/tokens-port.js';

export interface IssueRequest {
  client: Client;
  user: User | null;
  scopes: string[];
  grantType: string;
  /** Also issue a refresh token (code grant, while no idle timeout applies). */
  withRefreshToken?: boolean;
  /**
   * Continue an existing sign-in family (refresh rotation); a new family otherwise; null for
   * no family at all (client credentials: no sign-in, nothing descends from the token, and
   * each family would cost a random insert into its index on every issuance).
   */
  familyId?: string | null;
  codeHash?: string | null;
  /** The invalid_grant description should the user be disabled before the token is stored: what the grant says of a disabled user. */
  userEnded?: string;
}

/**
 * Where a node keeps the access tokens it just stored (the Authenticator's cache): the mark is
 * taken before the write, so that a change which overlapped it keeps the token out.
 */
export interface IssuedTokenCache {
  cacheMark(): CacheMark;
  /** Never rejects. */
  remember(token: TokenRecord, mark: CacheMark): Promise<void>;
}

export interface IssuedTokens {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken?: string;
  familyId: string | null;
  accessTokenHash: string;
  /** The client the tokens were issued to. */
  clientId: string;
}

/** Refresh tokens live 30 days, the Genesys Cloud default. */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;

const USER_ENDED = 'the user can no longer sign in';

export class TokenIssuer {
  readonly #store: TokensPort & Pick<DirectoryPort, 'findClient' | 'findUser'>;
  readonly #clock: Clock;
  readonly #limit: IssuanceLimit | null;
  readonly #counts: CoreCounts;
  readonly #cache: IssuedTokenCache | null;

  /**
   * `limit`: tokens per client per minute, counted at every mint (null: none, for callers outside
   * the server). `cache`: where an issued access token is kept for its first requests (a server's).
   */
  constructor(
    store: TokensPort & Pick<DirectoryPort, 'findClient' | 'findUser'>,
    clock: Clock,
    limit: IssuanceLimit | null = null,
    counts: CoreCounts = new CoreCounts(),
    cache: IssuedTokenCache | null = null,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#limit = limit;
    this.#counts = counts;
    this.#cache = cache;
  }

  async issue(request: IssueRequest): Promise<IssuedTokens> {
    const { issued, records } = this.mint(request);
    const mark = this.#cache?.cacheMark();
    for (const record of records) {
      if (!(await this.#store.insertToken(record))) {
        const userEnded = request.userEnded ?? USER_ENDED;
        // Enabled again meanwhile: still nothing was stored, and the grant answers as it would have then.
        throw (
          (await this.accessEnded(request.client, request.user, userEnded)) ??
          (request.user ? oauthErrors.invalidGrant(userEnded) : oauthErrors.unauthorizedClient('client is disabled'))
        );
      }
    }
    this.countIssued(request.grantType, request.client);
    // Stored: an app's next request is usually its first with this token.
    if (this.#cache !== null && mark !== undefined) for (const record of records) await this.#cache.remember(record, mark);
    return issued;
  }

  /**
   * Why the store refused to issue for `client` and `user` now, read afresh from the store: the
   * client gone (401 invalid_client, as an unknown one) or no longer active (400
   * unauthorized_client, as client-caller.ts says), or the user no longer active (400
   * invalid_grant, `userEnded`). Null while both are active: a refusal then had another cause
   * (a spent code or refresh token).
   */
  async accessEnded(client: Client, user: User | null, userEnded = USER_ENDED): Promise<OAuthError | null> {
    const [current, person] = await Promise.all([this.#store.findClient(client.id), user ? this.#store.findUser(user.id) : null]);
    if (!current) return oauthErrors.invalidClient();
    if (current.state !== 'active') return oauthErrors.unauthorizedClient(`client is ${current.state}`);
    if (user && person?.state !== 'active') return oauthErrors.invalidGrant(userEnded);
    return null;
  }

  /** Counts tokens as issued once stored: {@link issue} does; callers of {@link mint} do once their write succeeded. */
  countIssued(grantType: string, client: Client): void {
    this.#counts.countIssued(grantType, client.authorizedGrantType);
  }

  /**
   * New tokens and the records to store for them, without storing them: for callers that must
   * store them atomically with something else (code redemption, refresh rotation).
   * Throws the 429 of the client's issuance limit before minting anything: every grant mints
   * here once its checks passed, so only a client that proved itself is counted.
   */
  mint(request: IssueRequest): { issued: IssuedTokens; records: TokenRecord[] } {
    try {
      this.#limit?.take(request.client.id);
    } catch (error) {
      this.#counts.throttleRefusals.add('issuance');
      throw error;
    }
    const now = this.#clock.now();
    const familyId = request.familyId === undefined ? randomUUID() : request.familyId;
    // Each record is one object literal: spreading a shared base and adding properties to it
    // takes V8's slow path, which was most of the CPU an issuance spends outside SQLite and
    // HTTP (docs/performance.md).
    const record = (hash: string, kind: TokenRecord['kind'], expiresAt: number): TokenRecord => ({
      hash,
      kind,
      organizationId: request.client.organizationId,
      clientId: request.client.id,
      userId: request.user?.id ?? null,
      scopes: request.scopes,
      grantType: request.grantType,
      issuedAt: now,
      expiresAt,
      lastUsedAt: now,
      revokedAt: null,
      familyId,
      codeHash: request.codeHash ?? null,
    });
    const expiresIn = request.client.accessTokenValiditySeconds;
    const accessToken = newToken();
    const accessTokenHash = hashToken(accessToken);
    const records = [record(accessTokenHash, 'access', now + expiresIn * 1000)];
    const issued: IssuedTokens = { accessToken, expiresIn, familyId, accessTokenHash, clientId: request.client.id };
    if (request.withRefreshToken) {
      const refreshToken = newToken();
      records.push(record(hashToken(refreshToken), 'refresh', now + REFRESH_TOKEN_SECONDS * 1000));
      issued.refreshToken = refreshToken;
    }
    return { issued, records };
  }
}
