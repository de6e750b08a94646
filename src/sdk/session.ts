import { type Clock, raceSignal } from './clock.js';
import type { AuthData, TokenResponse } from './models.js';
import type { GrantForm, OAuthClient } from './oauth.js';

/** How a session gets its next token without the user's help. */
export type Renewal = { grant: 'client_credentials'; client: OAuthClient } | { grant: 'refresh_token'; client: OAuthClient; refreshToken: string };

/** Asks the token endpoint for a token, under its own timeout. */
export type IssueToken = (client: OAuthClient, grant: GrantForm) => Promise<TokenResponse>;

/**
 * The client's token and how to renew it. A client-credentials session logs in again,
 * a session with a refresh token refreshes (keeping the rotated refresh token), and a
 * token set by hand is never renewed. Callers that need a renewal at the same time share
 * one request to the token endpoint.
 */
export class Session {
  #accessToken: string | undefined;
  #expiresAt: number | undefined;
  #renewAt = Number.POSITIVE_INFINITY;
  #renewal: Renewal | undefined;
  #inflight: Promise<void> | undefined;
  // The latest renewal and how many have begun: a caller refused with a token it sent
  // before a renewal began shares that renewal's outcome, even a failure, instead of
  // asking the token endpoint again.
  #latest: Promise<void> = Promise.resolve();
  #renewals = 0;
  // Bumped by every new token, so that a renewal that started before a login by the
  // user does not overwrite the user's token when it ends.
  #epoch = 0;

  constructor(
    private readonly clock: Clock,
    private readonly marginMs: number,
    private readonly issue: IssueToken,
  ) {}

  /** The token to send, if any. */
  get accessToken(): string | undefined {
    return this.#accessToken;
  }

  /** When the token expires (epoch ms), where a login told; undefined for a token set by hand. */
  get expiresAt(): number | undefined {
    return this.#expiresAt;
  }

  /** The token to send, and a mark to give {@link Session.recover} if it is refused. */
  current(): { token: string | undefined; mark: number } {
    return { token: this.#accessToken, mark: this.#renewals };
  }

  /** The refresh token the session would use next, if any. */
  get refreshToken(): string | undefined {
    return this.#renewal?.grant === 'refresh_token' ? this.#renewal.refreshToken : undefined;
  }

  /** Uses `token` as it is, without renewal; undefined forgets the token. */
  setAccessToken(token: string | undefined): void {
    this.#epoch++;
    this.#accessToken = token;
    this.#expiresAt = undefined;
    this.#renewal = undefined;
    this.#renewAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Takes the token a login returned. A client-credentials token is renewed by logging
   * in again; any other by its refresh token, where the server issued one. A refresh
   * answer without a new refresh token leaves the old one in use (RFC 6749 section 6).
   */
  adopt(response: TokenResponse, client: OAuthClient, grant: 'client_credentials' | 'user', previousRefreshToken?: string): AuthData {
    const now = this.clock.now();
    const lifetimeMs = response.expires_in * 1000;
    const refreshToken = response.refresh_token ?? previousRefreshToken;
    this.#epoch++;
    this.#accessToken = response.access_token;
    this.#expiresAt = now + lifetimeMs;
    // Half the lifetime at most, so that a margin longer than a short token's life
    // does not renew it on every call.
    this.#renewAt = now + lifetimeMs - Math.min(this.marginMs, lifetimeMs / 2);
    if (grant === 'client_credentials') this.#renewal = { grant, client };
    else this.#renewal = refreshToken === undefined ? undefined : { grant: 'refresh_token', client, refreshToken };
    const expiry = now + lifetimeMs;
    return {
      accessToken: response.access_token,
      tokenExpiryTime: expiry,
      tokenExpiryTimeString: new Date(expiry).toUTCString(),
      ...(refreshToken === undefined ? {} : { refreshToken }),
    };
  }

  /**
   * Takes a client-credentials token saved earlier, with the credentials to renew it: it is
   * used until the margin before `expiresAt` (at once renewed when that has passed), and
   * renewed once after a 401 as if this session had obtained it.
   */
  resume(accessToken: string, expiresAt: number, client: OAuthClient): void {
    this.#epoch++;
    this.#accessToken = accessToken;
    this.#expiresAt = expiresAt;
    this.#renewAt = expiresAt - this.marginMs;
    this.#renewal = { grant: 'client_credentials', client };
  }

  /** Renews the token first where it is missing or about to expire and can be renewed. */
  async ensureFresh(signal: AbortSignal): Promise<void> {
    if (this.#renewal === undefined) return;
    if (this.#accessToken !== undefined && this.clock.now() < this.#renewAt) return;
    await raceSignal(this.#renew(), signal);
  }

  /**
   * After the server refused the token of `sent` (401 `bad.credentials`): renews, unless
   * a renewal began since it was sent, whose outcome it then shares. Returns false where
   * the token cannot be renewed.
   */
  async recover(sent: { token: string | undefined; mark: number }, signal: AbortSignal): Promise<boolean> {
    if (this.#renewal === undefined) return false;
    if (this.#renewals > sent.mark) await raceSignal(this.#latest, signal);
    else if (this.#accessToken === sent.token) await raceSignal(this.#renew(), signal);
    return true;
  }

  #renew(): Promise<void> {
    if (this.#inflight !== undefined) return this.#inflight;
    const renewal = this.#renewal;
    if (renewal === undefined) return Promise.resolve();
    const epoch = this.#epoch;
    const grant: GrantForm =
      renewal.grant === 'client_credentials' ? { grant_type: 'client_credentials' } : { grant_type: 'refresh_token', refresh_token: renewal.refreshToken };
    const inflight = this.issue(renewal.client, grant)
      .then((response) => {
        if (epoch !== this.#epoch) return;
        if (renewal.grant === 'client_credentials') this.adopt(response, renewal.client, 'client_credentials');
        else this.adopt(response, renewal.client, 'user', renewal.refreshToken);
      })
      .finally(() => {
        this.#inflight = undefined;
      });
    this.#inflight = inflight;
    this.#latest = inflight;
    this.#renewals++;
    return inflight;
  }
}
