/**
 * Identity providers and redeemed SAML assertions over SQL (core/ports/identity-provider-port.ts,
 * migration 17). A provider's slot is its vendor path's name, or `custom:<id>`.
 */
import type { IdentityProviderKind, IdentityProviderPort, IdentityProviderRecord, SamlProviderFields } from '../../core/ports/identity-provider-port.js';
import type { Row } from './mappers.js';
import { SqlUsageStore } from './sql-usage-store.js';

const IDP_SQL = {
  list: `SELECT * FROM identity_providers WHERE organization_id = ?
    ORDER BY CASE WHEN kind = 'custom' THEN 1 ELSE 0 END, kind, name, id`,
  find: 'SELECT * FROM identity_providers WHERE organization_id = ? AND slot = ?',
  // Inserted only while the organization exists; a slot's provider is replaced whole (its id stays).
  save: `INSERT INTO identity_providers (id, organization_id, slot, kind, name, disabled, issuer_uri, fields, date_modified_ms)
    SELECT CAST(? AS TEXT), id, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT)
    FROM organizations WHERE id = ?
    ON CONFLICT (organization_id, slot) DO UPDATE SET name = excluded.name, disabled = excluded.disabled,
      issuer_uri = excluded.issuer_uri, fields = excluded.fields, date_modified_ms = excluded.date_modified_ms`,
  delete: 'DELETE FROM identity_providers WHERE organization_id = ? AND slot = ?',
  // The primary key decides between racing redemptions; a remembered one that expired gives way.
  redeem: `INSERT INTO saml_assertions_redeemed (issuer, assertion_id, expires_at_ms) VALUES (?, ?, ?)
    ON CONFLICT (issuer, assertion_id) DO UPDATE SET expires_at_ms = excluded.expires_at_ms
    WHERE saml_assertions_redeemed.expires_at_ms <= ?`,
  forgetExpired: 'DELETE FROM saml_assertions_redeemed WHERE expires_at_ms < ?',
};

const slotOf = (kind: IdentityProviderKind, id: string | undefined): string => (kind === 'custom' ? `custom:${id ?? ''}` : kind);

function toIdentityProvider(row: Row): IdentityProviderRecord {
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    kind: String(row.kind) as IdentityProviderKind,
    fields: JSON.parse(String(row.fields)) as SamlProviderFields,
    dateModified: Number(row.date_modified_ms),
  };
}

export abstract class SqlIdentityProviderStore extends SqlUsageStore implements IdentityProviderPort {
  async listIdentityProviders(organizationId: string): Promise<IdentityProviderRecord[]> {
    return (await this.driver.all(IDP_SQL.list, [organizationId])).map(toIdentityProvider);
  }
  async findIdentityProvider(organizationId: string, kind: IdentityProviderKind, id?: string): Promise<IdentityProviderRecord | null> {
    const row = await this.driver.get(IDP_SQL.find, [organizationId, slotOf(kind, id)]);
    return row ? toIdentityProvider(row) : null;
  }
  async saveIdentityProvider(p: IdentityProviderRecord): Promise<boolean> {
    const { fields } = p;
    const params = [
      p.id,
      slotOf(p.kind, p.id),
      p.kind,
      fields.name,
      fields.disabled ? 1 : 0,
      fields.issuerURI,
      JSON.stringify(fields),
      p.dateModified,
      p.organizationId,
    ];
    return (await this.driver.run(IDP_SQL.save, params)) > 0;
  }
  async deleteIdentityProvider(organizationId: string, kind: IdentityProviderKind, id?: string): Promise<boolean> {
    return (await this.driver.run(IDP_SQL.delete, [organizationId, slotOf(kind, id)])) > 0;
  }
  async redeemAssertion(issuer: string, assertionId: string, expiresAt: number, now: number): Promise<boolean> {
    return (await this.driver.run(IDP_SQL.redeem, [issuer, assertionId, expiresAt, now])) > 0;
  }
  async forgetExpiredAssertions(before: number): Promise<number> {
    return this.driver.run(IDP_SQL.forgetExpired, [before], 'process-crash');
  }
}
