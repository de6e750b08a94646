/**
 * Who is calling: what the Authenticator concludes from a good bearer token, and what
 * every decision after it (admission, scopes, permissions, rendering) reads.
 */
import type { ValidationResult } from './counts.js';
import type { Client, Organization, TokenRecord, User } from './models.js';
import type { TokenUsage } from './token-usage.js';

/** An authenticated access token with everything the API needs about it. */
export interface Principal {
  readonly token: TokenRecord;
  readonly organization: Organization;
  readonly client: Client;
  readonly user: User | null;
  /** The idle timeout that applies to this token, in seconds, or null. */
  readonly idleSeconds: number | null;
  /** The token's last use (epoch ms); `Authenticator.touch` moves it to now. */
  lastUsedAt: number;
  /** Its last use and rate-limit count, held with the cached token (token-usage.ts). */
  readonly usage: TokenUsage;
}

/** A good token's principal, or why the token is refused (counts.ts). */
export type Validation = Principal | Exclude<ValidationResult, 'valid'>;
