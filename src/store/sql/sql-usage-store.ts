/** The usage port over SQL (core/ports/usage-port.ts): counts added by upsert, so nodes add to one row at once. */
import type { ClientUsageRow, UsagePort } from '../../core/ports/usage-port.js';
import type { Row } from './mappers.js';
import type { Statement } from './sql-driver.js';
import { SqlOrganizationStore } from './sql-organization-store.js';

const STATUS_COLUMNS = ['status200', 'status300', 'status400', 'status429', 'status500'] as const;

const USAGE_SQL = {
  add: `INSERT INTO oauth_client_usage (client_id, day, user_id, http_method, template_uri, organization_id, ${STATUS_COLUMNS.join(', ')})
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (client_id, day, user_id, http_method, template_uri) DO UPDATE SET
    ${STATUS_COLUMNS.map((c) => `${c} = oauth_client_usage.${c} + excluded.${c}`).join(', ')}`,
  find: 'SELECT * FROM oauth_client_usage WHERE client_id = ? AND day >= ? AND day <= ?',
  deleteBefore: 'DELETE FROM oauth_client_usage WHERE day < ?',
};

function toUsageRow(row: Row): ClientUsageRow {
  return {
    day: String(row.day),
    organizationId: String(row.organization_id),
    clientId: String(row.client_id),
    userId: String(row.user_id),
    httpMethod: String(row.http_method),
    templateUri: String(row.template_uri),
    status200: Number(row.status200),
    status300: Number(row.status300),
    status400: Number(row.status400),
    status429: Number(row.status429),
    status500: Number(row.status500),
  };
}

export abstract class SqlUsageStore extends SqlOrganizationStore implements UsagePort {
  async addClientUsage(rows: readonly ClientUsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    const batch: Statement[] = rows.map((r) => [
      USAGE_SQL.add,
      [r.clientId, r.day, r.userId, r.httpMethod, r.templateUri, r.organizationId, ...STATUS_COLUMNS.map((c) => r[c])],
    ]);
    // Counts a crash of the machine may lose, as last use: what was counted since the last flush is lost on a crash anyway.
    await this.driver.batch(batch, 'process-crash');
  }

  async findClientUsage(clientId: string, fromDay: string, toDay: string): Promise<ClientUsageRow[]> {
    return (await this.driver.all(USAGE_SQL.find, [clientId, fromDay, toDay])).map(toUsageRow);
  }

  async deleteClientUsageBefore(day: string): Promise<number> {
    return this.driver.run(USAGE_SQL.deleteBefore, [day], 'process-crash');
  }
}
