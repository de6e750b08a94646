/** The organization port over SQL (core/ports/organization-port.ts): one conditional UPDATE. */
import { normalForm } from '../../core/normal-form.js';
import type { OrganizationChange, OrganizationPort, OrganizationWrite } from '../../core/ports/organization-port.js';
import { isUniqueViolation } from './group-writes.js';
import { SqlConsentStore } from './sql-consent-store.js';

const ORGANIZATION_SQL = {
  update: 'UPDATE organizations SET name = ?, name_key = ?, details = ?, version = version + 1 WHERE id = ? AND version = ?',
  version: 'SELECT version FROM organizations WHERE id = ?',
};

export abstract class SqlOrganizationStore extends SqlConsentStore implements OrganizationPort {
  async updateOrganization(id: string, change: OrganizationChange, expectedVersion: number): Promise<OrganizationWrite> {
    let changed: number;
    try {
      changed = await this.driver.run(ORGANIZATION_SQL.update, [change.name, normalForm(change.name), JSON.stringify(change.details), id, expectedVersion]);
    } catch (error) {
      if (isUniqueViolation(error)) return 'name-taken';
      throw error;
    }
    if (changed > 0) return 'written';
    return (await this.driver.get(ORGANIZATION_SQL.version, [id])) === undefined ? 'missing' : 'stale';
  }
}
