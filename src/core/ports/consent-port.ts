/**
 * Consent as core stores it (CONTRACT.md, "Consent"): a person's Allow for an app, per person
 * and client. Implemented by `src/store`. The client writes of the admin port keep these in
 * step: changing a client's redirect URIs or scopes deletes the Allows given to it in the same
 * transaction (admin-port.ts, updateClient and applySeed), deleting the client or the person
 * deletes theirs.
 */
import type { OAuthAuthorization } from '../models.js';

export interface ConsentPort {
  /** The person's Allow for the client, or null. */
  findAuthorization(userId: string, clientId: string): Promise<OAuthAuthorization | null>;
  /** Every Allow the person gave, oldest first. */
  listUserAuthorizations(userId: string): Promise<OAuthAuthorization[]>;
  /**
   * Records an Allow in one statement, replacing the person's earlier one for the client whole
   * (core/consent/consent.ts decides its scopes and dates). Racing saves leave one whole record,
   * the last one's. Records nothing when the client or the person no longer exists.
   */
  saveAuthorization(authorization: OAuthAuthorization): Promise<void>;
  /**
   * Withdraws an Allow ("Remove access"), in one transaction: revokes every live token the client
   * holds for the person (access and refresh, so their refresh families end), burns their
   * unredeemed codes, and deletes the authorization. Null, and nothing changed, when the person
   * had not authorized the client.
   */
  removeAuthorization(userId: string, clientId: string, at: number): Promise<{ revokedTokens: number } | null>;
}
