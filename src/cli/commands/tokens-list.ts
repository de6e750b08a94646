/**
 * `tokend tokens list --user ID|EMAIL | --client ID|NAME`: the live tokens of a person or of a
 * client, from the server's store: what each is and its dates. Core hands over no token and no
 * hash (core/admin/live-tokens.ts), so nothing here can print one.
 */
import type { LiveToken } from '../../core/admin/live-tokens.js';
import type { Client, UserRecord } from '../../core/models.js';
import { type Command, stringValue, UsageError } from '../args.js';
import { DATABASE_SECTION, isoDate, withCore } from '../admin-store.js';
import { type Column, chosenFormat, table } from '../listing.js';
import { printJson } from '../output.js';
import { findClient } from './client-admin.js';
import { personOf } from './user-changes.js';

interface Row extends LiveToken {
  client: { id: string; name: string };
  user: { id: string; email: string } | null;
}

/** A date as the table shows it: to the minute, in UTC (the JSON has the exact time). */
const shortDate = (epochMs: number) => `${isoDate(epochMs).slice(0, 16).replace('T', ' ')}Z`;

export const tokensList: Command = {
  kind: 'command',
  name: 'list',
  summary: "List a person's or a client's live tokens (never a token or secret): family, kind, client, issued, expires, last used.",
  details:
    'Acts on the server store (admin, no API call). Live: not revoked, not expired, not idled out. A sign-in (code, password, SAML) is one family of an access and a refresh token; client-credentials tokens have none. ' +
    'The table shows a family by its first 8 characters and dates to the minute in UTC; --json shows them whole.',
  example: 'tokend tokens list --user sam@demo.example --org Demo',
  options: {
    user: { type: 'string', value: 'ID|EMAIL', description: "this person's tokens" },
    client: { type: 'string', value: 'ID|NAME', description: "this client's tokens (with --user: that person's tokens of this client)" },
    org: { type: 'string', value: 'ID|NAME', description: 'the organization, where an email or a client name is in several' },
    json: { type: 'boolean', description: 'print JSON (the default when stdout is not a terminal)' },
    table: { type: 'boolean', description: 'print a table (the default at a terminal)' },
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const userRef = stringValue(values, 'user');
    const clientRef = stringValue(values, 'client');
    if (userRef === undefined && clientRef === undefined) throw new UsageError('give --user or --client (or both)');
    const format = chosenFormat(values, io.stdout);
    const rows = await withCore(values, io.env, async (core) => {
      const user = userRef === undefined ? undefined : (await personOf(core, values, userRef)).user;
      const client = clientRef === undefined ? undefined : await findClient(core, values, clientRef);
      const tokens = user
        ? (await core.liveTokens.ofUser(user.id)).filter((t) => !client || t.clientId === client.id)
        : await core.liveTokens.ofClient((client as Client).id);
      const clients = new Map<string, Client | null>();
      const people = new Map<string, UserRecord | null>();
      const found: Row[] = [];
      for (const token of tokens) {
        if (!clients.has(token.clientId)) clients.set(token.clientId, await core.clientAdmin.find('any', token.clientId));
        if (token.userId !== null && !people.has(token.userId)) people.set(token.userId, await core.users.find(token.userId, null).catch(() => null));
        const person = token.userId === null ? null : people.get(token.userId);
        found.push({
          ...token,
          client: { id: token.clientId, name: clients.get(token.clientId)?.name ?? '' },
          user: token.userId === null ? null : { id: token.userId, email: person?.email ?? '' },
        });
      }
      return found;
    });
    if (format === 'json') {
      printJson(
        io,
        rows.map((row) => ({
          familyId: row.familyId,
          kind: row.kind,
          grantType: row.grantType,
          client: row.client,
          user: row.user,
          issued: isoDate(row.issuedAt),
          expires: isoDate(row.expiresAt),
          lastUsed: row.lastUsedAt === null ? null : isoDate(row.lastUsedAt),
        })),
      );
      return 0;
    }
    // By person: the client says which app; by client: the person says whose sign-in.
    const columns: Array<Column<Row>> = [
      { title: 'family', cell: (row) => row.familyId?.slice(0, 8) ?? '-' },
      { title: 'kind', cell: (row) => row.kind },
      ...(userRef === undefined ? [] : [{ title: 'client', cell: (row: Row) => row.client.name }]),
      ...(userRef === undefined ? [{ title: 'user', cell: (row: Row) => row.user?.email ?? '-' }] : []),
      { title: 'issued', cell: (row) => shortDate(row.issuedAt) },
      { title: 'expires', cell: (row) => shortDate(row.expiresAt) },
      { title: 'last used', cell: (row) => (row.lastUsedAt === null ? 'never' : shortDate(row.lastUsedAt)) },
    ];
    io.stdout.write(table(rows, columns, io.stdout));
    return 0;
  },
};
