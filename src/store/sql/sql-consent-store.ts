/**
 * The consent port over SQL (core/ports/consent-port.ts): people's Allows (migration 8). The
 * client writes keep them in step (consent-statements.ts, sql-admin-store.ts).
 */
import type { OAuthAuthorization } from '../../core/models.js';
import type { ConsentPort } from '../../core/ports/consent-port.js';
import { CONSENT_SQL } from './consent-statements.js';
import type { Row } from './mappers.js';
import { SqlSignInStore } from './sql-sign-in-store.js';

function toAuthorization(row: Row): OAuthAuthorization {
  return {
    userId: String(row.user_id),
    clientId: String(row.client_id),
    organizationId: String(row.organization_id),
    scopes: JSON.parse(String(row.scopes)) as string[],
    clientTerms: String(row.client_terms),
    dateCreated: Number(row.date_created_ms),
    dateModified: Number(row.date_modified_ms),
    createdBy: row.created_by === null || row.created_by === undefined ? null : String(row.created_by),
    modifiedBy: row.modified_by === null || row.modified_by === undefined ? null : String(row.modified_by),
  };
}

export abstract class SqlConsentStore extends SqlSignInStore implements ConsentPort {
  async findAuthorization(userId: string, clientId: string): Promise<OAuthAuthorization | null> {
    const row = await this.driver.get(CONSENT_SQL.findAuthorization, [userId, clientId]);
    return row ? toAuthorization(row) : null;
  }
  async listUserAuthorizations(userId: string): Promise<OAuthAuthorization[]> {
    return (await this.driver.all(CONSENT_SQL.listUserAuthorizations, [userId])).map(toAuthorization);
  }
  async saveAuthorization(a: OAuthAuthorization): Promise<void> {
    await this.driver.run(CONSENT_SQL.saveAuthorization, [
      a.userId,
      JSON.stringify(a.scopes),
      a.clientTerms,
      a.dateCreated,
      a.dateModified,
      a.createdBy,
      a.modifiedBy,
      a.clientId,
      a.userId,
    ]);
  }
  async removeAuthorization(userId: string, clientId: string, at: number): Promise<{ revokedTokens: number } | null> {
    const allowed = [userId, clientId];
    const [revokedTokens = 0, , deleted = 0] = await this.driver.batch([
      [CONSENT_SQL.revokeUserClientTokens, [at, userId, clientId, ...allowed]],
      [CONSENT_SQL.burnUserClientCodes, [at, userId, clientId, ...allowed]],
      [CONSENT_SQL.deleteAuthorization, allowed],
    ]);
    return deleted === 0 ? null : { revokedTokens };
  }
}
