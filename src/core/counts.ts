/**
 * What core counts for the metrics endpoint (src/http/metrics/): plain numbers read when
 * Prometheus scrapes, so that counting costs a property increment on the request's path and core
 * knows nothing of Prometheus or HTTP. Every label value comes from a fixed set named here or
 * from tokend's own data (grant types, client kinds), never from what a caller sent, so no
 * request can add a series.
 */

/** How a bearer token was judged (authenticator.ts), whichever path answered the request. */
export type ValidationResult = 'valid' | 'unknown' | 'revoked' | 'idle' | 'expired' | 'disabled';
export const VALIDATION_RESULTS: readonly ValidationResult[] = ['valid', 'unknown', 'revoked', 'idle', 'expired', 'disabled'];

/** Why tokens were revoked through the authenticator (docs/operations-metrics.md says which request each is). */
export type RevocationCause = 'idle' | 'self' | 'user_tokens' | 'code_replay' | 'refresh_reuse' | 'sign_out' | 'sign_out_all' | 'account_page' | 'oauth_revoke';

/** The outcome of a password check (sign-in page and password grant). */
export type SignInResult = 'succeeded' | 'failed' | 'throttled' | 'busy';

/** Which limit turned a request away. */
export type ThrottleName = 'sign_in' | 'client_auth' | 'slow_hash_queue' | 'issuance' | 'rate_limit';

/** Counts under a label from a fixed set: the map is never larger than the set. */
export class LabelCounts<K extends string> {
  readonly #values = new Map<K, number>();

  add(key: K): void {
    this.#values.set(key, (this.#values.get(key) ?? 0) + 1);
  }

  entries(): IterableIterator<[K, number]> {
    return this.#values.entries();
  }
}

export class CoreCounts {
  /** Validations through {@link Authenticator.validate}, the fast lane's among them. */
  readonly validations: Record<ValidationResult, number> = { valid: 0, unknown: 0, revoked: 0, idle: 0, expired: 0, disabled: 0 };
  /** Lookups in the token cache by `validate`, and entries pushed out of a full cache. */
  readonly tokenCache = { hits: 0, misses: 0, evictions: 0 };
  readonly revocations = new LabelCounts<RevocationCause>();
  readonly signIns = new LabelCounts<SignInResult>();
  readonly throttleRefusals = new LabelCounts<ThrottleName>();
  /** Tokens issued, by grant type, then by the client's kind (its authorized grant type). */
  readonly #issued = new Map<string, LabelCounts<string>>();

  /** One access token issued (with its refresh token, if any). Grant types and client kinds are tokend's own short lists. */
  countIssued(grantType: string, clientKind: string): void {
    let byKind = this.#issued.get(grantType);
    if (byKind === undefined) this.#issued.set(grantType, (byKind = new LabelCounts()));
    byKind.add(clientKind);
  }

  *issued(): IterableIterator<{ grantType: string; clientKind: string; count: number }> {
    for (const [grantType, byKind] of this.#issued) for (const [clientKind, count] of byKind.entries()) yield { grantType, clientKind, count };
  }
}
